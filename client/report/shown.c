/* shown.c: numbers as the report shows them (see shown.h). */
#include "report/shown.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "format.h"

void shown_none(shown_t *s, const char *text)
{
    memset(s, 0, sizeof *s);
    snprintf(s->text, sizeof s->text, "%s", text);
}

void shown_number(shown_t *s, double v, const char *text)
{
    memset(s, 0, sizeof *s);
    s->has = true;
    s->v = v;
    size_t l = strlen(text);
    l = l < sizeof s->text ? l : sizeof s->text - 1;
    memcpy(s->text, text, l);
    s->text[l] = '\0';
    fmt_csv_number(s->raw, sizeof s->raw, v);
}

void show_count(const edition_t *ed, bool has, double v, shown_t *s)
{
    char t[NL_TEXT_MAX];
    if (!has) {
        shown_none(s, FMT_MISSING);
        return;
    }
    if (ed->pub) {
        if (v < ed->min_cell) {
            shown_none(s, "");
            s->suppressed = true;
            snprintf(s->text, sizeof s->text, "<%d", ed->min_cell);
            return;
        }
        v = floor(v / 5 + 0.5) * 5;
    }
    nl_number(t, sizeof t, v, -1);
    shown_number(s, v, t);
}

void show_int(int64_t v, shown_t *s)
{
    char t[NL_TEXT_MAX];
    nl_number(t, sizeof t, (double)v, 0);
    shown_number(s, (double)v, t);
}

void show_value(const edition_t *ed, const proto_indicator *ind, const proto_figure *f,
                shown_t *s)
{
    char t[NL_TEXT_MAX];
    if (!f->has_value) {
        shown_none(s, "geen cijfers");
        return;
    }
    if (!ed->pub) {
        nl_value(t, sizeof t, f->value, ind->unit, 1);
        shown_number(s, f->value, t);
        return;
    }
    if (ind_is_count(ind)) {
        show_count(ed, true, f->value, s);
        return;
    }
    if (ind_is_ratio(ind)) {
        if (!f->has_num || !f->has_den || f->numerator < ed->min_cell ||
            f->denominator < ed->min_cell) {
            shown_none(s, FMT_MISSING);
            s->suppressed = true;
            return;
        }
        double v = round(f->value * 10) / 10;
        nl_value(t, sizeof t, v, ind->unit, 1);
        shown_number(s, v, t);
        return;
    }
    /* a mean over locations: about organisations, not persons; one decimal */
    double v = round(f->value * 10) / 10;
    nl_value(t, sizeof t, v, ind->unit, 1);
    shown_number(s, v, t);
}

void show_target(const edition_t *ed, const proto_indicator *ind, double v, bool from_data,
                 shown_t *s)
{
    char t[NL_TEXT_MAX];
    if (ed->pub && from_data && ind_is_count(ind)) {
        show_count(ed, true, v, s);
        return;
    }
    if (ed->pub && ind_is_count(ind))
        v = round(v);
    nl_value(t, sizeof t, v, ind->unit, 1);
    shown_number(s, v, t);
}

void shown_emit(rbuf *b, const char *tag, const char *cls, const data_ref *ref, const shown_t *s,
                const char *missing)
{
    rb_add(b, "<");
    rb_add(b, tag);
    rb_add(b, " class=\"");
    rb_add(b, cls);
    rb_add(b, "\"");
    rb_data_attrs(b, ref, s->has ? s->raw : NULL, s->suppressed ? s->text : NULL, missing);
    rb_add(b, ">");
    rb_esc(b, s->text);
    rb_add(b, "</");
    rb_add(b, tag);
    rb_add(b, ">");
}

size_t show_complement(const edition_t *ed, shown_t *parts, size_t n, const shown_t *top)
{
    if (!ed->pub || !top->has)
        return 0;
    size_t held = 0, smallest = n;
    for (size_t i = 0; i < n; i++) {
        held += parts[i].suppressed;
        if (parts[i].has && (smallest == n || parts[i].v < parts[smallest].v))
            smallest = i;
    }
    if (held != 1 || smallest == n)
        return 0;
    shown_none(&parts[smallest], "x");
    parts[smallest].suppressed = true;
    return 1;
}
