/* Minimal vsnprintf: %d %i %u %x %X %o %p %s %c %% with flags '-' '0' '+' ' ',
 * width, precision (for %s and integers), length h hh l ll z t j. */
#include "rt.h"

struct out {
    char *buf;
    size_t cap, len;
};

static void emit(struct out *o, char c) {
    if (o->len + 1 < o->cap) o->buf[o->len] = c;
    o->len++;
}

static void emit_padded(struct out *o, const char *s, size_t n, int width, int left, char pad) {
    int fill = width > (int)n ? width - (int)n : 0;
    if (!left)
        while (fill-- > 0) emit(o, pad);
    for (size_t i = 0; i < n; i++) emit(o, s[i]);
    if (left)
        while (fill-- > 0) emit(o, ' ');
}

static void emit_number(struct out *o, uint64_t v, int neg, unsigned base, int upper, int width, int prec,
                        int left, int zero, char sign, const char *prefix) {
    char digits[24];
    int nd = 0;
    const char *tab = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    do {
        digits[nd++] = tab[v % base];
        v /= base;
    } while (v);
    if (prec == 0 && nd == 1 && digits[0] == '0') nd = 0;
    int ndz = prec > nd ? prec - nd : 0;
    char sgn = neg ? '-' : sign;
    int plen = (int)strlen(prefix);
    int total = nd + ndz + (sgn ? 1 : 0) + plen;
    int fill = width > total ? width - total : 0;
    if (zero && !left && prec < 0) {
        ndz += fill;
        fill = 0;
    }
    if (!left)
        while (fill-- > 0) emit(o, ' ');
    if (sgn) emit(o, sgn);
    for (int i = 0; i < plen; i++) emit(o, prefix[i]);
    while (ndz-- > 0) emit(o, '0');
    while (nd > 0) emit(o, digits[--nd]);
    if (left)
        while (fill-- > 0) emit(o, ' ');
}

int rt_vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap) {
    struct out o = {buf, cap, 0};
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            emit(&o, *p);
            continue;
        }
        p++;
        int left = 0, zero = 0, alt = 0;
        char sign = 0;
        for (;; p++) {
            if (*p == '-') left = 1;
            else if (*p == '0') zero = 1;
            else if (*p == '+') sign = '+';
            else if (*p == ' ') { if (!sign) sign = ' '; }
            else if (*p == '#') alt = 1;
            else break;
        }
        int width = 0, prec = -1;
        if (*p == '*') {
            width = va_arg(ap, int);
            if (width < 0) left = 1, width = -width;
            p++;
        } else
            while (*p >= '0' && *p <= '9') width = width * 10 + (*p++ - '0');
        if (*p == '.') {
            p++;
            prec = 0;
            if (*p == '*') {
                prec = va_arg(ap, int);
                p++;
            } else
                while (*p >= '0' && *p <= '9') prec = prec * 10 + (*p++ - '0');
        }
        int lng = 0; /* -2 hh, -1 h, 0 int, 1 long/ll/z/t/j */
        for (;; p++) {
            if (*p == 'l' || *p == 'z' || *p == 't' || *p == 'j') lng = 1;
            else if (*p == 'h') lng = lng == -1 ? -2 : -1;
            else break;
        }
        char c = *p;
        if (!c) break;
        switch (c) {
        case 'd':
        case 'i': {
            int64_t v = lng == 1 ? va_arg(ap, int64_t) : (int64_t)va_arg(ap, int);
            if (lng == -1) v = (int16_t)v;
            if (lng == -2) v = (int8_t)v;
            uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
            emit_number(&o, u, v < 0, 10, 0, width, prec, left, zero, sign, "");
            break;
        }
        case 'u':
        case 'x':
        case 'X':
        case 'o': {
            uint64_t v = lng == 1 ? va_arg(ap, uint64_t) : (uint64_t)va_arg(ap, unsigned);
            if (lng == -1) v = (uint16_t)v;
            if (lng == -2) v = (uint8_t)v;
            unsigned base = c == 'u' ? 10 : c == 'o' ? 8 : 16;
            const char *pfx = alt && v ? (c == 'x' ? "0x" : c == 'X' ? "0X" : c == 'o' ? "0" : "") : "";
            emit_number(&o, v, 0, base, c == 'X', width, prec, left, zero, 0, pfx);
            break;
        }
        case 'p':
            emit_number(&o, (uint64_t)(uintptr_t)va_arg(ap, void *), 0, 16, 0, width, prec, left, zero, 0, "0x");
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (!s) s = "(null)";
            size_t n = strlen(s);
            if (prec >= 0 && (size_t)prec < n) n = (size_t)prec;
            emit_padded(&o, s, n, width, left, ' ');
            break;
        }
        case 'c': {
            char ch = (char)va_arg(ap, int);
            emit_padded(&o, &ch, 1, width, left, ' ');
            break;
        }
        case '%':
            emit(&o, '%');
            break;
        default:
            emit(&o, '%');
            emit(&o, c);
            break;
        }
    }
    if (cap) o.buf[o.len < cap ? o.len : cap - 1] = 0;
    return (int)o.len;
}

int rt_snprintf(char *buf, size_t n, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int r = rt_vsnprintf(buf, n, fmt, ap);
    va_end(ap);
    return r;
}
