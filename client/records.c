/* records.c: a growable list of proto_record with the origin of each. */
#include "records.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"

void records_init(records_t *self)
{
    memset(self, 0, sizeof *self);
}

void records_free(records_t *self)
{
    free(self->items);
    free(self->origin);
    memset(self, 0, sizeof *self);
}

int records_add(records_t *self, const proto_record *rec, size_t origin)
{
    /* two arrays of one length: each grows from the same capacity */
    size_t items_cap = self->cap, origin_cap = self->cap;
    if (GROW(self->items, items_cap, self->count + 1) != 0 ||
        GROW(self->origin, origin_cap, self->count + 1) != 0)
        return -1; /* items may be larger than needed; harmless */
    self->cap = origin_cap;
    self->items[self->count] = *rec;
    self->origin[self->count] = origin;
    self->count++;
    return 0;
}

int records_parse_number(const char *s, int decimal_comma, double *out, const char **why)
{
    char buf[64];
    size_t n = strlen(s);
    if (n == 0) {
        *why = "missing";
        return -1;
    }
    if (n >= sizeof buf) {
        *why = "too long for a number";
        return -1;
    }
    /* Validate the shape ourselves: strtod would take "1e3", "0x10", "nan". */
    size_t i = 0, digits = 0, frac = 0;
    int mark = 0;
    if (s[i] == '+' || s[i] == '-')
        i++;
    for (; i < n; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            if (mark)
                frac++;
            else
                digits++;
        } else if ((c == '.' || (c == ',' && decimal_comma)) && !mark) {
            mark = c;
        } else if (c == ',' || c == '.') {
            *why = decimal_comma ? "not a number (thousands separators are not accepted: "
                                   "write 1234 or 1234,5)"
                                 : "not a number (use '.' as the decimal mark)";
            return -1;
        } else {
            *why = "not a number";
            return -1;
        }
    }
    if (digits == 0 || (mark && frac == 0)) {
        *why = "not a number";
        return -1;
    }
    memcpy(buf, s, n + 1);
    char *comma = strchr(buf, ',');
    if (comma)
        *comma = '.'; /* strtod in the C locale reads '.' only */
    errno = 0;
    char *end = NULL;
    double v = strtod(buf, &end);
    if (end != buf + n || errno == ERANGE || !isfinite(v)) {
        *why = "number out of range";
        return -1;
    }
    *out = v;
    return 0;
}

int records_check_code(const char *s, size_t max, const char **why)
{
    size_t n = strlen(s);
    if (n == 0) {
        *why = "missing";
        return -1;
    }
    if (n > max) {
        *why = "too long";
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= 0x20 || c >= 0x7f) {
            *why = "must be printable ASCII without spaces";
            return -1;
        }
    }
    return 0;
}
