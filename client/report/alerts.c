/* alerts.c: the alerts section of the report (see alerts.h). */
#include "report/alerts.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "format.h"
#include "period.h"
#include "proto.h"
#include "report/text.h"

#define RESOLVED_MAX 12 /* resolved alerts listed, newest change first */

/* v in the unit of the indicator when the catalogue knows it, else plain. */
static void alert_value(char *buf, size_t n, const report_t *r, const char *indicator, double v)
{
    const proto_indicator *ind = report_find_ind(r, indicator);
    if (ind)
        nl_value(buf, n, v, ind->unit, 1);
    else
        nl_number(buf, n, v, -1);
}

/* An alert's rule condition in a few words, by its kind: "< 70%", "3 punten
 * achteruit", "pad 83,1%, marge 2" (the path only in the internal
 * version), "10 dagen na de maand". */
static void alert_threshold(char *buf, size_t n, const report_t *r, const proto_alert *a)
{
    const char *kind = a->kind, *ind = a->indicator;
    char v[NL_TEXT_MAX], ref[NL_TEXT_MAX];
    double th = a->threshold, rv = a->reference;
    bool has_ref = a->has_reference;
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
    } else if (!strcmp(kind, "implausible")) {
        snprintf(buf, n, "%s", "controle van de catalogus");
    } else {
        nl_number(buf, n, th, -1);
    }
}

/* How long a resolved alert fired, in words: "1 maand actief (okt 2026)" by the months of
 * its history, or by the clock when it fired and resolved in one month ("3 dagen
 * actief"); "" when it never fired. */
static void alert_lasted(char *buf, size_t n, const proto_alert *a)
{
    const proto_alert_change *on = NULL, *off = NULL;
    for (size_t i = 0; i < a->n_history; i++) {
        const proto_alert_change *h = &a->history[i];
        if (!on && !strcmp(h->to, "firing"))
            on = h;
        if (on && !strcmp(h->to, "resolved"))
            off = h;
    }
    snprintf(buf, n, "%s", "");
    if (!on || !off)
        return;
    period p1, p2;
    int months = period_parse(on->period, &p1) == 0 && period_parse(off->period, &p2) == 0
                     ? period_first_month(&p2) - period_first_month(&p1)
                     : -1;
    if (months >= 1) {
        snprintf(buf, n, "%d %s actief", months, months == 1 ? "maand" : "maanden");
        return;
    }
    int64_t days = (off->at - on->at) / 86400;
    if (days < 1)
        snprintf(buf, n, "%s", "korter dan een dag actief");
    else
        snprintf(buf, n, "%lld %s actief", (long long)days, days == 1 ? "dag" : "dagen");
}

/* Whether an alert ever fired: a resolved alert that was only pending told nobody. */
static bool alert_fired(const proto_alert *a)
{
    if (a->has_first_fired)
        return true;
    for (size_t i = 0; i < a->n_history; i++)
        if (!strcmp(a->history[i].to, "firing"))
            return true;
    return false;
}

/* One alert as a group of rows: the alert, and with_history its history
 * and acknowledgement across the table. */
static void write_alert_row(const report_t *r, rbuf *b, const proto_alert *a, bool with_history)
{
    char text[256], v[NL_TEXT_MAX];
    const char *sev = a->severity, *ind = a->indicator, *org = a->organisation;
    rb_add(b, "<tbody class=\"al\"><tr class=\"sev-");
    rb_esc(b, sev);
    rb_add(b, "\"><td class=\"n\">");
    rb_addf(b, "%lld", (long long)a->id);
    rb_add(b, "</td><td>");
    rb_esc(b, nl_alert_state(a->state));
    rb_add(b, "</td><td>");
    rb_esc(b, nl_severity(sev));
    rb_add(b, "</td><td>");
    /* what it is about, by the catalogue's labels: no rule or metric codes */
    const proto_indicator *pi = ind[0] ? report_find_ind(r, ind) : NULL;
    const proto_metric_info *pm = a->metric[0] ? report_find_metric(r, a->metric) : NULL;
    rb_esc(b, pi && pi->label[0] ? pi->label : pm && pm->label[0] ? pm->label : "cijfers");
    rb_add(b, "<br><span class=\"small\">");
    rb_esc(b, nl_rule_kind(a->kind));
    rb_add(b, "</span></td><td>");
    rb_esc(b, a->area_name[0] ? a->area_name : a->area);
    if (org[0]) {
        const org_row *o = report_find_org(r, org);
        rb_add(b, "<br><span class=\"small\">");
        rb_esc(b, o && o->name[0] ? o->name : org);
        rb_add(b, "</span>");
    }
    nl_period_span(text, sizeof text, a->period, a->last_period);
    rb_add(b, "</td><td>");
    rb_esc(b, text);
    if (!strcmp(a->state, "resolved")) {
        alert_lasted(text, sizeof text, a);
        if (text[0]) {
            rb_add(b, "<br><span class=\"small\">");
            rb_esc(b, text);
            rb_add(b, "</span>");
        }
    }
    rb_add(b, "</td>");
    if (!r->ed.pub) {
        rb_add(b, "<td class=\"n\"");
        if (a->has_value) {
            fmt_csv_number(v, sizeof v, a->value);
            rb_addf(b, " data-alert=\"%lld\" data-value=\"", (long long)a->id);
            rb_esc(b, v);
            rb_add(b, "\">");
            alert_value(v, sizeof v, r, ind, a->value);
            rb_esc(b, v);
        } else {
            rb_add(b, ">\xe2\x80\x93");
        }
        rb_add(b, "</td>");
    }
    alert_threshold(text, sizeof text, r, a);
    rb_add(b, "<td>");
    rb_esc(b, text);
    rb_add(b, "</td><td class=\"n\">");
    if (a->expected > 0)
        rb_addf(b, "%lld van %lld%s", (long long)a->reported, (long long)a->expected,
                a->reported < a->expected ? "*" : "");
    rb_add(b, "</td></tr>\n");
    if (with_history) {
        /* the history under the row, across the table */
        rb_addf(b, "<tr class=\"hist\"><td></td><td colspan=\"%d\"><b>Verloop:</b> ",
                r->ed.pub ? 7 : 8);
        for (size_t i = 0; i < a->n_history; i++) {
            const proto_alert_change *h = &a->history[i];
            char when[NL_TEXT_MAX];
            rb_add(b, i ? " &#183; " : "");
            nl_time(when, sizeof when, h->at, true);
            rb_esc(b, when);
            rb_add(b, ": ");
            rb_esc(b, h->from[0] ? nl_alert_state(h->from) : "nieuw");
            rb_add(b, " \xe2\x86\x92 ");
            rb_esc(b, nl_alert_state(h->to));
            if (h->period[0]) {
                nl_period_span(text, sizeof text, h->period, "");
                rb_add(b, " (");
                rb_esc(b, text);
                if (!r->ed.pub && h->has_value) {
                    alert_value(v, sizeof v, r, ind, h->value);
                    rb_add(b, ": ");
                    rb_esc(b, v);
                }
                rb_add(b, ")");
            }
        }
        char when[NL_TEXT_MAX];
        if (a->acked_by[0] && r->ed.pub) {
            /* outside the municipality: that it is seen, not by whom or why */
            rb_add(b, "<br><b>In behandeling genomen</b>");
            if (a->has_acked_at) {
                nl_time(when, sizeof when, a->acked_at, false);
                rb_add(b, " op ");
                rb_esc(b, when);
            }
        } else if (a->acked_by[0]) {
            rb_add(b, "<br><b>Bevestigd</b> door ");
            rb_esc(b, a->acked_by);
            if (a->has_acked_at) {
                nl_time(when, sizeof when, a->acked_at, true);
                rb_add(b, " op ");
                rb_esc(b, when);
            }
            if (!r->ed.pub && a->ack_note[0]) {
                rb_add(b, ": \xe2\x80\x9c");
                rb_esc(b, a->ack_note);
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
    size_t n = r->alerts.n_alerts;
    char a[NL_TEXT_MAX];
    rb_add(b, "<section class=\"alerts\"><h2>Signaleringen</h2>\n<p>De monitor toetst de cijfers "
              "aan de signaleringsregels van de catalogus: een waarde onder of boven een grens, "
              "een daling, een waarde naast het pad naar het doel, een organisatie die niet "
              "levert. Hieronder de signaleringen die nog open staan (in aanloop of actief) in ");
    rb_esc(b, r->top->name);
    rb_add(b, " en de gebieden daaronder, met hun verloop.");
    if (r->ed.pub)
        rb_add(b, " In de publieksversie staan geen waarden, namen en notities bij de "
                  "signaleringen, en geen signaleringen over cijfers die niet gepubliceerd "
                  "worden.");
    rb_add(b, "</p>\n");
    size_t open = 0;
    for (int pass = 0; pass < 2; pass++) {
        bool with_history = pass == 0;
        size_t shown = 0;
        for (size_t i = 0; i < n; i++) {
            const proto_alert *m = &r->alerts.alerts[i];
            if (!report_in_area(r, m->area))
                continue;
            /* the public version holds a figure back: then also which side of a
             * threshold it is on */
            if (r->ed.pub && strcmp(m->kind, "late") && report_hidden(r, m->indicator, m->area))
                continue;
            bool is_open = !strcmp(m->state, "pending") || !strcmp(m->state, "firing");
            if (pass == 0 && !is_open)
                continue;
            if (pass == 1) {
                /* resolved alerts whose episode reaches into the report's months */
                int lm = last_month_of(m->last_period[0] ? m->last_period : m->period);
                if (strcmp(m->state, "resolved") || lm < r->first_month || lm > r->last_month ||
                    !alert_fired(m))
                    continue;
            }
            if (shown++ == 0) {
                if (pass == 1) {
                    nl_month_year(a, sizeof a, r->first_month);
                    rb_add(b, "<h3>Opgelost, met cijfers vanaf ");
                    rb_esc(b, a);
                    rb_add(b, "</h3>\n<p>Signaleringen die actief zijn geweest en weer "
                              "opgelost zijn, met hoe lang ze actief waren.</p>\n");
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
                    "<p class=\"fn\">En %zu eerder opgeloste signaleringen; de "
                    "beleidsmedewerker kan de volledige lijst leveren.</p>\n",
                    shown - RESOLVED_MAX);
        if (pass == 0)
            open = shown;
        if (pass == 0 && !shown)
            rb_add(b, "<p><b>Er staan geen signaleringen open.</b></p>\n");
    }
    if (r->alerts.truncated)
        rb_addf(b,
                "<p class=\"fn\">De monitor gaf niet alle signaleringen: alleen de %d meest "
                "recent gewijzigde.</p>\n",
                PROTO_MAX_ALERTS);
    rb_add(b, "<p class=\"fn\">* onvolledig: niet alle verwachte organisaties hadden hun cijfers "
              "geleverd.</p></section>\n");
    return open;
}
