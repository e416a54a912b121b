/* converters/xml_messages.h - libxml2's English messages in Vietnamese. */
#ifndef CHUAN_XML_MESSAGES_H
#define CHUAN_XML_MESSAGES_H

#include "../core/core.h"

/* msg (libxml2's, trailing newline removed) in Vietnamese when it has one
 * of the known shapes and the Vietnamese catalogue is there, else NULL. The
 * result is freed with chuanp_free. */
char *chuanp_xml_message_vi(const char *msg);

#endif
