/* validator/vocab_mst.c - the tax code check digit ("checkDigit": "mst"). */
#include "vocab.h"

/* Weights of the first nine digits (DOMAIN.md §5.2). */
static const int weights[9] = {31, 29, 23, 19, 17, 13, 7, 5, 3};

static int is_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

int chuanp_vocab_check_mst(const char *s, size_t len, chuanp_vocab_msg *msg)
{
    int shown = (int)(len > 40 ? 40 : len);
    if (!((len == 10 && is_digits(s, 10)) ||
          (len == 14 && is_digits(s, 10) && s[10] == '-' && is_digits(s + 11, 3)))) {
        chuanp_buf_printf(&msg->en,
                          "'%.*s' is not a tax code: expected 10 digits, optionally followed by "
                          "'-' and a 3-digit branch number",
                          shown, s);
        chuanp_buf_printf(&msg->vi,
                          "'%.*s' không phải là mã số thuế: cần 10 chữ số, có thể kèm '-' và 3 chữ "
                          "số của đơn vị phụ thuộc",
                          shown, s);
        return 1;
    }
    int sum = 0;
    for (int i = 0; i < 9; i++)
        sum += (s[i] - '0') * weights[i];
    int r = sum % 11;
    if (r == 0) {
        chuanp_buf_printf(&msg->en,
                          "'%.*s' is not a valid tax code: its first nine digits admit no check "
                          "digit (weighted sum divisible by 11)",
                          shown, s);
        chuanp_buf_printf(&msg->vi,
                          "'%.*s' không phải là mã số thuế hợp lệ: chín chữ số đầu không có chữ "
                          "số kiểm tra (tổng có trọng số chia hết cho 11)",
                          shown, s);
        return 1;
    }
    int check = 10 - r;
    if (s[9] - '0' != check) {
        chuanp_buf_printf(&msg->en, "'%.*s' is not a valid tax code: check digit is %c, expected %d",
                          shown, s, s[9], check);
        chuanp_buf_printf(&msg->vi,
                          "'%.*s' không phải là mã số thuế hợp lệ: chữ số kiểm tra là %c, đúng "
                          "ra phải là %d",
                          shown, s, s[9], check);
        return 1;
    }
    return 0;
}
