/* alerts.c: the alerts section of the report (see alerts.h). */
#include "report/alerts.h"

#include <msgpack.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "format.h"
#include "period.h"
#include "proto.h"
#include "reply_fields.h"
#include "report/text.h"
#include "rpc.h"

#define RESOLVED_MAX 12 /* resolved alerts listed, newest change first */

/* v in the unit of the indicator when the catalogue knows it, else plain. */
static void alert_value(char *buf, size_t n, const report_t *r, const char *indicator, double v)
{
    const ind_t *ind = report_find_ind(r, indicator);
    if (ind)
        nl_value(buf, n, v, ind->unit, 1);
    else
        nl_number(buf, n, v, -1);
}

/* An alert's rule condition in a few words, by its kind: "< 70%", "3 punten
 * achteruit", "pad 83,1%, marge 2" (the path only in the internal
 * version), "10 dagen na de maand"; "" without a threshold. */
static void alert_threshold(char *buf, size_t n, const report_t *r, const msgpack_object *m)
{
    char kind[16], ind[PROTO_MAX_CODE + 1], v[NL_TEXT_MAX], ref[NL_TEXT_MAX];
    double th, rv;
    reply_text(m, "kind", kind, sizeof kind);
    reply_text(m, "indicator", ind, sizeof ind);
    buf[0] = '\0';
    if (!reply_number(m, "threshold", &th))
        return;
    bool has_ref = reply_number(m, "reference", &rv);
    if (!strcmp(kind, "below") || !strcmp(kind, "above")) {
        alert_value(v, sizeof v, r, ind, th);
        snprintf(buf, n, "%s %s", kind[0] == 'b' ? "<" : ">", v);
    } else if (!strcmp(kind, "slip")) {
        nl_number(v, sizeof v, th, -1);
        snprintf(buf, n, "%s punten achteruit", v);
    } else if (!strcmp(kind, "off_track")) {
        nl_number(v, sizeof v, th, -1);
        if (has_ref && !r->ed.pub) {
            alert_value(ref, sizeof ref, r, ind, rv);
            snprintf(buf, n, "pad %s, marge %s", ref, v);
        } else {
            snprintf(buf, n, "marge %s van het pad", v);
        }
    } else if (!strcmp(kind, "late")) {
        nl_number(v, sizeof v, th, 0);
        snprintf(buf, n, "%s dagen na de maand", v);
    } else {
        nl_number(buf, n, th, -1);
    }
}

/* One alert as a group of rows: the alert, and with_history its history
 * and acknowledgement across the table. */
static void write_alert_row(const report_t *r, rbuf *b, const msgpack_object *m, bool with_history)
{
    char rule[PROTO_MAX_CODE + 1], kind[16], sev[16], state[16], area[PROTO_MAX_AREA + 1],
        area_name[200], org[PROTO_MAX_CODE + 1], first[PERIOD_TEXT_MAX + 1],
        last[PERIOD_TEXT_MAX + 1], ind[PROTO_MAX_CODE + 1], metric[PROTO_MAX_CODE + 1], text[256],
        v[NL_TEXT_MAX];
    int64_t id = 0, expected = 0, reported = 0;
    double value;
    reply_text(m, "rule", rule, sizeof rule);
    reply_text(m, "kind", kind, sizeof kind);
    reply_text(m, "severity", sev, sizeof sev);
    reply_text(m, "state", state, sizeof state);
    reply_text(m, "area", area, sizeof area);
    reply_text(m, "area_name", area_name, sizeof area_name);
    reply_text(m, "organisation", org, sizeof org);
    reply_text(m, "period", first, sizeof first);
    reply_text(m, "last_period", last, sizeof last);
    reply_text(m, "indicator", ind, sizeof ind);
    reply_text(m, "metric", metric, sizeof metric);
    bool has_id = proto_get_int(m, "id", &id) == 0;
    bool has_counts = proto_get_int(m, "expected", &expected) == 0 &&
                      proto_get_int(m, "reported", &reported) == 0;
    bool has_value = reply_number(m, "value", &value);

    rb_add(b, "<tbody class=\"al\"><tr class=\"sev-");
    rb_esc(b, sev);
    rb_add(b, "\"><td class=\"n\">");
    if (has_id)
        rb_addf(b, "%lld", (long long)id);
    rb_add(b, "</td><td>");
    rb_esc(b, nl_alert_state(state));
    rb_add(b, "</td><td>");
    rb_esc(b, nl_severity(sev));
    rb_add(b, "</td><td>");
    rb_esc(b, rule);
    rb_add(b, "<br><span class=\"small\">");
    rb_esc(b, nl_rule_kind(kind));
    if (ind[0] || metric[0]) {
        rb_add(b, ": ");
        rb_esc(b, ind[0] ? ind : metric);
    }
    rb_add(b, "</span></td><td>");
    rb_esc(b, area_name[0] ? area_name : area);
    if (org[0]) {
        const org_row *o = report_find_org(r, org);
        rb_add(b, "<br><span class=\"small\">");
        rb_esc(b, o && o->name[0] ? o->name : org);
        rb_add(b, "</span>");
    }
    nl_period_span(text, sizeof text, first, last);
    rb_add(b, "</td><td>");
    rb_esc(b, text);
    rb_add(b, "</td>");
    if (!r->ed.pub) {
        rb_add(b, "<td class=\"n\"");
        if (has_value) {
            fmt_csv_number(v, sizeof v, value);
            rb_add(b, " data-alert=\"");
            if (has_id)
                rb_addf(b, "%lld", (long long)id);
            rb_add(b, "\" data-value=\"");
            rb_esc(b, v);
            rb_add(b, "\">");
            alert_value(v, sizeof v, r, ind, value);
            rb_esc(b, v);
        } else {
            rb_add(b, ">\xe2\x80\x93");
        }
        rb_add(b, "</td>");
    }
    alert_threshold(text, sizeof text, r, m);
    rb_add(b, "<td>");
    rb_esc(b, text);
    rb_add(b, "</td><td class=\"n\">");
    if (has_counts && expected > 0)
        rb_addf(b, "%lld van %lld%s", (long long)reported, (long long)expected,
                reported < expected ? "*" : "");
    rb_add(b, "</td></tr>\n");
    if (with_history) {
        /* the history under the row, across the table */
        rb_addf(b, "<tr class=\"hist\"><td></td><td colspan=\"%d\"><b>Verloop:</b> ",
                r->ed.pub ? 7 : 8);
        const msgpack_object *hist = reply_array(m, "history");
        for (uint32_t i = 0; hist && i < hist->via.array.size; i++) {
            const msgpack_object *h = &hist->via.array.ptr[i];
            char from[16], to[16], hp[PERIOD_TEXT_MAX + 1], when[NL_TEXT_MAX];
            int64_t at = 0;
            double hv;
            reply_text(h, "from", from, sizeof from);
            reply_text(h, "to", to, sizeof to);
            reply_text(h, "period", hp, sizeof hp);
            rb_add(b, i ? " &#183; " : "");
            if (proto_get_int(h, "at", &at) == 0) {
                nl_time(when, sizeof when, at, true);
                rb_esc(b, when);
                rb_add(b, ": ");
            }
            rb_esc(b, from[0] ? nl_alert_state(from) : "nieuw");
            rb_add(b, " \xe2\x86\x92 ");
            rb_esc(b, nl_alert_state(to));
            if (hp[0]) {
                nl_period_span(text, sizeof text, hp, "");
                rb_add(b, " (");
                rb_esc(b, text);
                if (!r->ed.pub && reply_number(h, "value", &hv)) {
                    alert_value(v, sizeof v, r, ind, hv);
                    rb_add(b, ": ");
                    rb_esc(b, v);
                }
                rb_add(b, ")");
            }
        }
        char by[PROTO_MAX_CODE + 1], note[PROTO_MAX_NOTE + 1], when[NL_TEXT_MAX];
        int64_t at = 0;
        if (reply_text(m, "acked_by", by, sizeof by)[0]) {
            rb_add(b, "<br><b>Bevestigd</b> door ");
            rb_esc(b, by);
            if (proto_get_int(m, "acked_at", &at) == 0) {
                nl_time(when, sizeof when, at, true);
                rb_add(b, " op ");
                rb_esc(b, when);
            }
            if (!r->ed.pub && reply_text(m, "ack_note", note, sizeof note)[0]) {
                rb_add(b, ": \xe2\x80\x9c");
                rb_esc(b, note);
                rb_add(b, "\xe2\x80\x9d");
            }
        }
        rb_add(b, "</td></tr>\n");
    }
    rb_add(b, "</tbody>\n");
}

static void alert_head(const report_t *r, rbuf *b)
{
    rb_add(b, "<table class=\"alerts\"><thead><tr><th class=\"n\">Nr</th><th>Status</th>"
              "<th>Ernst</th><th>Signaal</th><th>Gebied</th><th>Periode</th>");
    if (!r->ed.pub)
        rb_add(b, "<th class=\"n\">Waarde</th>");
    rb_add(b, "<th>Grens</th><th class=\"n\">Geleverd</th>");
    rb_add(b, "</tr></thead>\n");
}

/* The month number of the last month of a period text, or -1. */
static int last_month_of(const char *text)
{
    period p;
    return period_parse(text, &p) == 0 ? period_last_month(&p) : -1;
}

size_t alerts_write(rbuf *b, const report_t *r)
{
    const msgpack_object *alerts = r->have_alerts ? reply_array(r->alerts.root, "alerts") : NULL;
    size_t n = alerts ? alerts->via.array.size : 0;
    char a[NL_TEXT_MAX];
    rb_add(b, "<section class=\"alerts\"><h2>Signaleringen</h2>\n<p>leamond toetst de cijfers "
              "aan de signaleringsregels van de catalogus: een waarde onder of boven een grens, "
              "een daling, een waarde naast het pad naar het doel, een organisatie die niet "
              "levert. Hieronder de signaleringen die nog open staan (in aanloop of actief) in ");
    rb_esc(b, r->top->name);
    rb_add(b, " en de gebieden daaronder, met hun verloop.");
    if (r->ed.pub)
        rb_add(b, " In de publieksversie staan geen waarden en geen notities bij de "
                  "signaleringen.");
    rb_add(b, "</p>\n");
    size_t open = 0;
    for (int pass = 0; pass < 2; pass++) {
        bool with_history = pass == 0;
        size_t shown = 0;
        for (size_t i = 0; i < n; i++) {
            const msgpack_object *m = &alerts->via.array.ptr[i];
            char state[16], area[PROTO_MAX_AREA + 1], last[PERIOD_TEXT_MAX + 1];
            reply_text(m, "state", state, sizeof state);
            if (!report_in_area(r, reply_text(m, "area", area, sizeof area)))
                continue;
            bool is_open = !strcmp(state, "pending") || !strcmp(state, "firing");
            if (pass == 0 && !is_open)
                continue;
            if (pass == 1) {
                /* resolved alerts whose episode reaches into the report's months */
                reply_text(m, "last_period", last, sizeof last);
                if (!last[0])
                    reply_text(m, "period", last, sizeof last);
                int lm = last_month_of(last);
                if (strcmp(state, "resolved") || lm < r->first_month || lm > r->last_month)
                    continue;
            }
            if (shown++ == 0) {
                if (pass == 1) {
                    nl_month_year(a, sizeof a, r->first_month);
                    rb_add(b, "<h3>Opgelost, met cijfers vanaf ");
                    rb_esc(b, a);
                    rb_add(b, "</h3>\n");
                }
                alert_head(r, b);
            }
            if (pass == 0 || shown <= RESOLVED_MAX)
                write_alert_row(r, b, m, with_history);
        }
        if (shown)
            rb_add(b, "</table>\n");
        if (pass == 1 && shown > RESOLVED_MAX)
            rb_addf(b,
                    "<p class=\"fn\">En %zu eerder opgeloste signaleringen (leamon alerts "
                    "--state resolved noemt ze alle).</p>\n",
                    shown - RESOLVED_MAX);
        if (pass == 0)
            open = shown;
        if (pass == 0 && !shown)
            rb_add(b, "<p><b>Er staan geen signaleringen open.</b></p>\n");
    }
    bool truncated = false;
    if (r->have_alerts && proto_get_bool(r->alerts.root, "truncated", &truncated) == 0 && truncated)
        rb_addf(b,
                "<p class=\"fn\">leamond gaf niet alle signaleringen: alleen de %d meest "
                "recent gewijzigde.</p>\n",
                PROTO_MAX_ALERTS);
    rb_add(b, "<p class=\"fn\">* onvolledig: niet alle verwachte organisaties hadden hun cijfers "
              "geleverd.</p></section>\n");
    return open;
}
