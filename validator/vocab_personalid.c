/* validator/vocab_personalid.c - 12-digit personal id structure ("personalId") and code list
 * membership ("codelist"). */
#include "codelist.h"
#include "vocab.h"

static int shown_len(size_t len)
{
    return (int)(len > 60 ? 60 : len);
}

int chuanp_vocab_check_code_in(const chuanp_codelist *l, const char *s, size_t len, long date_key,
                               const char *parent, size_t plen, chuanp_vocab_msg *msg)
{
    const chuanp_code *hit = NULL;
    chuanp_code_status st = chuanp_codelist_lookup_in(l, s, len, date_key, parent, plen, &hit);
    char day[16], bound[16];
    chuanp_date_key_format(day, sizeof day, date_key);
    switch (st) {
    case CHUANP_CODE_VALID:
        return 0;
    case CHUANP_CODE_WRONG_PARENT:
        chuanp_buf_printf(&msg->en, "code '%.*s' (%s) of the list '%s' belongs to '%s' on %s, not to '%.*s'",
                          shown_len(len), s, hit->name, l->name, hit->parent, day, shown_len(plen),
                          parent);
        chuanp_buf_printf(&msg->vi, "mã '%.*s' (%s) của danh mục '%s' thuộc '%s' vào ngày %s, không thuộc '%.*s'",
                          shown_len(len), s, hit->name, l->name, hit->parent, day, shown_len(plen),
                          parent);
        return 1;
    case CHUANP_CODE_UNKNOWN:
        if (parent && chuanp_codelist_lookup(l, s, len, 0, &hit) == CHUANP_CODE_VALID) {
            /* in the list, but never under this parent */
            chuanp_buf_printf(&msg->en, "code '%.*s' (%s) of the list '%s' is not listed under '%.*s'",
                              shown_len(len), s, hit->name, l->name, shown_len(plen), parent);
            chuanp_buf_printf(&msg->vi, "mã '%.*s' (%s) của danh mục '%s' không thuộc '%.*s'",
                              shown_len(len), s, hit->name, l->name, shown_len(plen), parent);
            return 1;
        }
        chuanp_buf_printf(&msg->en, "'%.*s' is not a code of the list '%s'", shown_len(len), s,
                          l->name);
        chuanp_buf_printf(&msg->vi, "'%.*s' không có trong danh mục '%s'", shown_len(len), s,
                          l->name);
        return 1;
    case CHUANP_CODE_NOT_YET:
        chuanp_date_key_format(bound, sizeof bound, hit->valid_from);
        chuanp_buf_printf(&msg->en, "code '%.*s' (%s) of the list '%s' is valid only from %s, not on %s",
                          shown_len(len), s, hit->name, l->name, bound, day);
        chuanp_buf_printf(&msg->vi, "mã '%.*s' (%s) của danh mục '%s' chỉ có hiệu lực từ %s, không áp dụng ngày %s",
                          shown_len(len), s, hit->name, l->name, bound, day);
        return 1;
    case CHUANP_CODE_EXPIRED:
        chuanp_date_key_format(bound, sizeof bound, hit->valid_to);
        chuanp_buf_printf(&msg->en, "code '%.*s' (%s) of the list '%s' was valid until %s, not on %s",
                          shown_len(len), s, hit->name, l->name, bound, day);
        chuanp_buf_printf(&msg->vi, "mã '%.*s' (%s) của danh mục '%s' hết hiệu lực từ %s, không áp dụng ngày %s",
                          shown_len(len), s, hit->name, l->name, bound, day);
        return 1;
    }
    return 1;
}

int chuanp_vocab_check_personal_id(const char *s, size_t len, const chuanp_codelist *provinces,
                                   long date_key, const chuanp_date *birth, int gender,
                                   chuanp_vocab_msg *msg)
{
    int ok = len == 12;
    for (size_t i = 0; ok && i < 12; i++)
        ok = s[i] >= '0' && s[i] <= '9';
    if (!ok) {
        chuanp_buf_printf(&msg->en, "'%.*s' is not a personal id: expected 12 digits",
                          shown_len(len), s);
        chuanp_buf_printf(&msg->vi, "'%.*s' không phải là số định danh cá nhân: cần đúng 12 chữ số",
                          shown_len(len), s);
        return 1;
    }
    if (provinces) {
        const chuanp_code *hit = NULL;
        if (chuanp_codelist_lookup(provinces, s, 3, date_key, &hit) != CHUANP_CODE_VALID) {
            chuanp_buf_printf(&msg->en,
                              "personal id '%.12s': '%.3s' is not a province code of the list '%s'",
                              s, s, provinces->name);
            chuanp_buf_printf(&msg->vi,
                              "số định danh '%.12s': '%.3s' không phải là mã tỉnh trong danh mục '%s'",
                              s, s, provinces->name);
            return 1;
        }
    }
    int cs = s[3] - '0';
    int century = 19 + cs / 2; /* 0/1: 1900s, 2/3: 2000s, ... */
    int female = cs % 2;
    int yy = (s[4] - '0') * 10 + (s[5] - '0');
    if (birth) {
        int encoded = century * 100 + yy;
        if (encoded != birth->year) {
            chuanp_buf_printf(&msg->en,
                              "personal id '%.12s' encodes the birth year %d (digits 4-6), but the "
                              "birth date is in %d",
                              s, encoded, birth->year);
            chuanp_buf_printf(&msg->vi,
                              "số định danh '%.12s' thể hiện năm sinh %d (chữ số 4-6), nhưng ngày "
                              "sinh thuộc năm %d",
                              s, encoded, birth->year);
            return 1;
        }
    }
    if (gender == 1 || gender == 2) {
        if ((gender == 2) != female) {
            chuanp_buf_printf(&msg->en,
                              "personal id '%.12s': digit 4 (%c) means %s, but the gender code is %d (%s)",
                              s, s[3], female ? "female" : "male", gender,
                              gender == 1 ? "male" : "female");
            chuanp_buf_printf(&msg->vi,
                              "số định danh '%.12s': chữ số thứ 4 (%c) là %s, nhưng mã giới tính là %d (%s)",
                              s, s[3], female ? "nữ" : "nam", gender, gender == 1 ? "nam" : "nữ");
            return 1;
        }
    }
    return 0;
}
