/* core/textenc_names.c - encoding names and aliases, Vietnamese letter helpers. */
#include "textenc.h"

#include <string.h>
#include <strings.h>

static const char *const canonical[CHUANP_ENC_COUNT] = {
    "unknown", "ascii", "utf-8", "tcvn3", "vni", "viscii", "vps", "cp1258",
};

static const struct {
    const char *name;
    chuanp_enc enc;
} aliases[] = {
    {"auto", CHUANP_ENC_NONE},       {"utf-8", CHUANP_ENC_UTF8},    {"utf8", CHUANP_ENC_UTF8},
    {"ascii", CHUANP_ENC_UTF8},      {"us-ascii", CHUANP_ENC_UTF8}, {"tcvn3", CHUANP_ENC_TCVN3},
    {"tcvn-3", CHUANP_ENC_TCVN3},    {"abc", CHUANP_ENC_TCVN3},     {"vn3", CHUANP_ENC_TCVN3},
    {"vni", CHUANP_ENC_VNI},         {"vni-windows", CHUANP_ENC_VNI}, {"vni-win", CHUANP_ENC_VNI},
    {"viscii", CHUANP_ENC_VISCII},   {"vps", CHUANP_ENC_VPS},       {"cp1258", CHUANP_ENC_CP1258},
    {"windows-1258", CHUANP_ENC_CP1258}, {"win-1258", CHUANP_ENC_CP1258},
    {"wincp-1258", CHUANP_ENC_CP1258},
};

const char chuanp_enc_accepted[] =
    "auto, utf-8 (utf8, ascii), tcvn3 (abc, vn3), vni (vni-windows, vni-win), viscii, vps, "
    "cp1258 (windows-1258)";

const char *chuanp_enc_name(chuanp_enc e)
{
    return (unsigned)e < CHUANP_ENC_COUNT ? canonical[e] : "unknown";
}

int chuanp_enc_parse(const char *name)
{
    if (!name)
        return CHUANP_ENC_NONE;
    for (size_t i = 0; i < sizeof aliases / sizeof *aliases; i++)
        if (strcasecmp(aliases[i].name, name) == 0)
            return (int)aliases[i].enc;
    return -1;
}

static unsigned info_byte(uint32_t cp)
{
    if (cp >= 0x41 && cp <= 0x1B0)
        return chuanp_vn_info_latin[cp - 0x41];
    if (cp >= 0x1EA0 && cp <= 0x1EF9)
        return chuanp_vn_info_ext[cp - 0x1EA0];
    return 0;
}

int chuanp_vn_letter_info(uint32_t cp, int *shape, int *tone, int *upper)
{
    unsigned v = info_byte(cp);
    if (!v)
        return 0;
    *shape = (int)(v & 0x0F) - 1;
    *tone = (int)((v >> 4) & 0x07);
    *upper = (int)(v >> 7);
    return 1;
}

uint32_t chuanp_vn_letter(int shape, int tone, int upper)
{
    return chuanp_vn_letters[shape][tone][upper ? 1 : 0];
}

int chuanp_vn_tone_of_mark(uint32_t cp)
{
    switch (cp) {
    case 0x0301: return 1;
    case 0x0300: return 2;
    case 0x0309: return 3;
    case 0x0303: return 4;
    case 0x0323: return 5;
    default: return 0;
    }
}

static uint32_t set_case(uint32_t cp, int upper)
{
    int s, t, u;
    if (chuanp_vn_letter_info(cp, &s, &t, &u))
        return chuanp_vn_letter(s, t, upper);
    if (cp == 0x110 || cp == 0x111)
        return upper ? 0x110 : 0x111;
    if (cp < 0x80) {
        if (upper && cp >= 'a' && cp <= 'z')
            return cp - 32;
        if (!upper && cp >= 'A' && cp <= 'Z')
            return cp + 32;
        return cp;
    }
    if (cp >= 0xC0 && cp <= 0xFE && cp != 0xD7 && cp != 0xF7 && cp != 0xDF) {
        if (upper && cp >= 0xE0)
            return cp - 32;
        if (!upper && cp < 0xE0)
            return cp + 32;
    }
    return cp;
}

uint32_t chuanp_vn_lower(uint32_t cp) { return set_case(cp, 0); }
uint32_t chuanp_vn_upper(uint32_t cp) { return set_case(cp, 1); }
