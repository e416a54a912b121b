/* converters/xml_messages.c - libxml2's English messages in Vietnamese.
 *
 * libxml2 writes its messages in English only. Its common ones are listed
 * here as templates (their %s are the parts libxml2 fills in); a message of
 * one of these shapes gets the catalogue's translation with the same parts,
 * any other keeps libxml2's text. XSD messages are "Element 'X': BODY" or
 * "Element 'X', attribute 'A': BODY": the head and the body are translated
 * apart (docs/i18n.md). */
#include "xml_messages.h"

#include <string.h>

static const char *const heads[] = {
    N_("Element '%s', attribute '%s': "),
    N_("Element '%s': "),
    NULL,
};

/* XSD validation (xmlschemas.c, libxml2 2.9) */
static const char *const xsd_bodies[] = {
    N_("This element is not expected. Expected is ( %s )."),
    N_("This element is not expected. Expected is one of ( %s )."),
    N_("This element is not expected."),
    N_("Missing child element(s). Expected is ( %s )."),
    N_("Missing child element(s). Expected is one of ( %s )."),
    N_("Missing child element(s)."),
    N_("[facet 'pattern'] The value '%s' is not accepted by the pattern '%s'."),
    N_("[facet 'enumeration'] The value '%s' is not an element of the set {%s}."),
    N_("[facet 'length'] The value has a length of '%s'; this differs from the allowed length of '%s'."),
    N_("[facet 'minLength'] The value has a length of '%s'; this underruns the allowed minimum length of '%s'."),
    N_("[facet 'maxLength'] The value has a length of '%s'; this exceeds the allowed maximum length of '%s'."),
    N_("[facet 'length'] The value '%s' has a length of '%s'; this differs from the allowed length of '%s'."),
    N_("[facet 'minLength'] The value '%s' has a length of '%s'; this underruns the allowed minimum length of '%s'."),
    N_("[facet 'maxLength'] The value '%s' has a length of '%s'; this exceeds the allowed maximum length of '%s'."),
    N_("[facet 'minInclusive'] The value '%s' is less than the minimum value allowed ('%s')."),
    N_("[facet 'maxInclusive'] The value '%s' is greater than the maximum value allowed ('%s')."),
    N_("[facet 'minExclusive'] The value '%s' must be greater than '%s'."),
    N_("[facet 'maxExclusive'] The value '%s' must be less than '%s'."),
    N_("[facet 'totalDigits'] The value '%s' has more digits than are allowed ('%s')."),
    N_("[facet 'fractionDigits'] The value '%s' has more fractional digits than are allowed ('%s')."),
    N_("[facet '%s'] The value '%s' is not facet-valid."),
    N_("[facet '%s'] The value is not facet-valid."),
    N_("'%s' is not a valid value of the atomic type '%s'."),
    N_("'%s' is not a valid value of the local atomic type."),
    N_("'%s' is not a valid value of the list type '%s'."),
    N_("'%s' is not a valid value of the local list type."),
    N_("'%s' is not a valid value of the union type '%s'."),
    N_("'%s' is not a valid value of the local union type."),
    N_("No matching global declaration available for the validation root."),
    N_("The attribute '%s' is required but missing."),
    N_("The attribute '%s' is not allowed."),
    N_("Character content other than whitespace is not allowed because the content type is 'element-only'."),
    N_("Character content is not allowed, because the content type is empty."),
    N_("Element content is not allowed, because the content type is empty."),
    N_("Duplicate key-sequence [%s] in key identity-constraint '%s'."),
    N_("Duplicate key-sequence [%s] in unique identity-constraint '%s'."),
    N_("No match found for key-sequence [%s] of keyref '%s'."),
    N_("The value '%s' does not match the fixed value constraint '%s'."),
    /* compiling a schema: its includes and imports */
    N_("Failed to load the document '%s' for inclusion."),
    N_("Failed to load the document '%s' for import."),
    N_("Failed to parse the XML resource '%s'."),
    N_("The document '%s' has no document element."),
    NULL,
};

/* Well-formedness (parser.c), RELAX NG (relaxng.c) and chuan's own message
 * about a truncated document. */
static const char *const whole[] = {
    N_("Opening and ending tag mismatch: %s line %d and %s"),
    N_("Premature end of data in tag %s line %d"),
    N_("Extra content at the end of the document"),
    N_("Start tag expected, '<' not found"),
    N_("Document is empty"),
    N_("Entity '%s' not defined"),
    N_("PEReference: %s not found"),
    N_("Detected an entity reference loop"),
    N_("Input is not proper UTF-8, indicate encoding ! Bytes: %s"),
    N_("Couldn't find end of Start Tag %s line %d"),
    N_("Specification mandates value for attribute %s"),
    N_("attributes construct error"),
    N_("Attribute %s redefined"),
    N_("xmlParseEntityRef: no name"),
    N_("EntityRef: expecting ';'"),
    N_("StartTag: invalid element name"),
    N_("error parsing attribute name"),
    N_("Unescaped '<' not allowed in attributes values"),
    N_("Comment not terminated"),
    N_("XML declaration allowed only at the start of the document"),
    N_("Blank needed here"),
    N_("Char %s out of allowed range"),
    N_("Excessive depth in document: %d use XML_PARSE_HUGE option"),
    N_("unexpected end of input: element '%s' (line %ld) is not closed"),
    N_("Did not expect element %s there"),
    N_("Element %s failed to validate content"),
    N_("Element %s failed to validate attributes"),
    N_("Error validating datatype %s"),
    N_("Expecting element %s, got %s"),
    N_("Expecting an element %s, got nothing"),
    N_("Element %s has extra content: %s"),
    N_("Invalid attribute %s for element %s"),
    N_("Type %s doesn't allow value '%s'"),
    /* compiling a RELAX NG schema */
    N_("xmlRelaxNG: could not load %s"),
    N_("Failed to load externalRef %s"),
    N_("Failed to load include %s"),
    N_("%s has no children"),
    N_("Element <%s> has no <start>"),
    NULL,
};

/* The end of an XSD message's head ("Element 'X': " or "Element 'X',
 * attribute 'A': "), or NULL. */
static const char *head_end(const char *msg)
{
    if (strncmp(msg, "Element '", 9) != 0)
        return NULL;
    const char *q = strchr(msg + 9, '\'');
    if (!q)
        return NULL;
    if (strncmp(q, "', attribute '", 14) == 0) {
        q = strchr(q + 14, '\'');
        if (!q)
            return NULL;
    }
    return strncmp(q, "': ", 3) == 0 ? q + 3 : NULL;
}

char *chuanp_xml_message_vi(const char *msg)
{
    if (!msg || !chuanp_gettext_vi(heads[1]))
        return NULL; /* no Vietnamese catalogue */
    const char *body = head_end(msg);
    if (!body)
        return chuanp_i18n_translate_shape(whole, msg);
    char *head = chuanp_strndup(msg, (size_t)(body - msg));
    char *h = head ? chuanp_i18n_translate_shape(heads, head) : NULL;
    char *b = h ? chuanp_i18n_translate_shape(xsd_bodies, body) : NULL;
    char *out = NULL;
    if (b) {
        chuanp_buf o;
        chuanp_buf_init(&o, 0);
        chuanp_buf_puts(&o, h);
        chuanp_buf_puts(&o, b);
        out = o.err ? NULL : o.data;
        if (o.err)
            chuanp_buf_free(&o);
    }
    chuanp_free(head);
    chuanp_free(h);
    chuanp_free(b);
    return out;
}
