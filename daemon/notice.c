/* notice.c: the mail and the JSON document of one notice (notice.h). */
#include "notice.h"

#include <msgpack.h>
#include <string.h>

#include "alert_msg.h"
#include "rules.h"

static const char *const months_nl[] = {"januari", "februari", "maart", "april", "mei", "juni",
                                        "juli", "augustus", "september", "oktober", "november",
                                        "december"};

/* "oktober 2026" for a month; other periods as written ("2025/26", "2026-Q3"). */
static void period_nl(const char *text, char *out, size_t n)
{
    period p;
    if (period_parse(text, &p) == 0 && p.kind == PERIOD_MONTH) {
        int m = period_first_month(&p), month = ((m % 12) + 12) % 12;
        snprintf(out, n, "%s %d", months_nl[month], (m - month) / 12);
        return;
    }
    snprintf(out, n, "%s", text);
}

/* A value as a Dutch reader writes it: decimal comma, the unit after it. */
static void value_nl(const char *unit, double v, char *out, size_t n)
{
    if (strcmp(unit, "percent") == 0)
        snprintf(out, n, "%.1f%%", v);
    else if (strcmp(unit, "count") == 0)
        snprintf(out, n, "%.0f", v);
    else
        snprintf(out, n, "%.1f %s", v, unit);
    char *dot = strchr(out, '.');
    if (dot)
        *dot = ',';
}

static const char *area_name(const registry *reg, const char *code)
{
    int at = partners_area(&reg->parts, code);
    return at >= 0 ? reg->parts.areas[at].name : code;
}

/* The rule's title: its label, else the indicator's. */
static const char *rule_title(const alert_rule *r)
{
    return r->label[0] ? r->label : r->ind ? r->ind->label : r->m ? r->m->label : r->name;
}

static void late_text(const registry *reg, const alert_rule *r, const stored_alert *a,
                      char *out, size_t n)
{
    const organisation *o = partners_org(&reg->parts, a->subject);
    char since[40], last[40];
    period_nl(a->period, since, sizeof since);
    period_nl(a->last_period, last, sizeof last);
    const char *who = o ? o->name : a->subject;
    const char *what = r->m ? r->m->label : "";
    if (strcmp(a->state, "resolved") == 0)
        snprintf(out, n, "%s heeft weer aangeleverd (%s, over %s)", who, what, last);
    else
        snprintf(out, n, "%s heeft %s niet aangeleverd sinds %s (%d dagen na elke maand)", who,
                 what, since, r->days);
}

void notice_alert_text(const registry *reg, const stored_alert *a, char *out, size_t n)
{
    const alert_rule *r = catalog_rule(&reg->cat, a->rule);
    if (!r) { /* the rule left the catalogue: its stored message is all there is */
        snprintf(out, n, "%s", a->message);
        return;
    }
    if (r->kind == RULE_LATE) {
        late_text(reg, r, a, out, n);
        return;
    }
    const char *unit = r->ind->unit;
    char v[40], t[40], c[40], ref[40], last[40], since[40];
    value_nl(unit, a->value, v, sizeof v);
    value_nl(unit, r->threshold, t, sizeof t);
    value_nl(unit, r->clear, c, sizeof c);
    value_nl(unit, a->ref, ref, sizeof ref);
    period_nl(a->last_period, last, sizeof last);
    period_nl(a->period, since, sizeof since);
    int used;
    bool resolved = strcmp(a->state, "resolved") == 0;
    if (!a->has_value)
        used = snprintf(out, n, "geen waarde in %s", last);
    else if (resolved)
        used = snprintf(out, n, "hersteld: %s in %s", v, last);
    else if (r->kind == RULE_BELOW || r->kind == RULE_ABOVE) {
        bool below = r->kind == RULE_BELOW;
        bool in_band = below ? a->value >= r->threshold : a->value <= r->threshold;
        if (in_band)
            used = snprintf(out, n, "%s in %s: %s de drempel van %s, maar nog niet op het "
                            "herstelniveau %s; sinds %s", v, last, below ? "boven" : "onder", t,
                            c, since);
        else
            used = snprintf(out, n, "%s in %s, %s de drempel van %s, sinds %s", v, last,
                            below ? "onder" : "boven", t, since);
    } else if (r->kind == RULE_SLIP)
        used = snprintf(out, n, "%s van %s naar %s in %s (%s)",
                        r->ind->better == BETTER_LOWER ? "gestegen" : "gedaald", ref, v, last,
                        r->against == AGAINST_YEAR ? "ten opzichte van een jaar eerder"
                                                   : "ten opzichte van de periode ervoor");
    else if (r->kind == RULE_OFF_TRACK)
        used = snprintf(out, n, "%s in %s, naast het pad naar het doel (%s), sinds %s", v, last,
                        ref, since);
    else
        used = snprintf(out, n, "%s in %s: een waarde die niet kan kloppen (een cijfer in de "
                        "verkeerde wijk of een tikfout)", v, last);
    if (used > 0 && (size_t)used < n && a->expected > 0)
        snprintf(out + used, n - (size_t)used, "; %lld van %lld partners hebben aangeleverd",
                 (long long)a->reported, (long long)a->expected);
}

static int write_alert(FILE *out, const registry *reg, const grouped_alert *m)
{
    const stored_alert *a = &m->a;
    const alert_rule *r = catalog_rule(&reg->cat, a->rule);
    char text[600];
    notice_alert_text(reg, a, text, sizeof text);
    const char *title = r ? rule_title(r) : a->rule;
    const char *where = a->subject[0] ? "" : area_name(reg, a->area);
    return fprintf(out, "* %s%s%s\n  %s\n  (%s; regel %s; signaal %lld)\n\n", title,
                   where[0] ? " in " : "", where, text,
                   strcmp(a->severity, "critical") == 0 ? "kritiek" : "waarschuwing", a->rule,
                   (long long)a->id) < 0
               ? -1
               : 0;
}

int notice_mail(FILE *out, const routing *rt, const receiver *rc, const registry *reg,
                const alert_group *g, const grouped_alert *const *list, size_t n,
                notice_reason why, time_t now)
{
    size_t firing = 0;
    while (firing < n && strcmp(list[firing]->a.state, "firing") == 0)
        firing++;
    size_t resolved = n - firing;
    char date[64], subject[300];
    struct tm tm;
    if (!localtime_r(&now, &tm) || !strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S %z", &tm))
        return -1;
    /* "2 signalen, 1 opgelost"; a notice of recoveries only says just that. */
    int used = snprintf(subject, sizeof subject, "leamon: %s",
                        why == NOTICE_REPEAT ? "herinnering, " : "");
    if (firing && used > 0 && (size_t)used < sizeof subject)
        used += snprintf(subject + used, sizeof subject - (size_t)used, "%zu %s", firing,
                         firing == 1 ? "signaal" : "signalen");
    if (resolved && used > 0 && (size_t)used < sizeof subject)
        used += snprintf(subject + used, sizeof subject - (size_t)used, "%s%zu opgelost",
                         firing ? ", " : "", resolved);
    if (n == 1 && used > 0 && (size_t)used < sizeof subject) {
        const alert_rule *r = catalog_rule(&reg->cat, list[0]->a.rule);
        const char *where = list[0]->a.subject[0] ? list[0]->a.subject
                                                  : area_name(reg, list[0]->a.area);
        snprintf(subject + used, sizeof subject - (size_t)used, ": %s, %s",
                 r ? rule_title(r) : list[0]->a.rule, where);
    }
    if (fprintf(out, "From: %s\nTo: %s\nSubject: %s\nDate: %s\nMIME-Version: 1.0\n"
                "Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n"
                "Auto-Submitted: auto-generated\nX-Leamon-Group: %s\n\n",
                rt->mail_from, rc->to, subject, date, g->key[0] ? g->key : "(alle)") < 0)
        return -1;
    const char *intro = why == NOTICE_REPEAT
                            ? "Herinnering: deze signalen staan nog open."
                            : "leamon meldt wat er veranderd is in de indicatoren van de "
                              "Lokale Educatieve Agenda.";
    if (fprintf(out, "%s\n\n", intro) < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if ((i == 0 && firing && fprintf(out, "Open signalen (%zu)\n\n", firing) < 0) ||
            (i == firing && fprintf(out, "Opgelost (%zu)\n\n", resolved) < 0) ||
            write_alert(out, reg, list[i]) < 0)
            return -1;
    }
    return fprintf(out, "-- \nleamond. Alle signalen, ook de opgeloste: leamon alerts\n") < 0
               ? -1
               : 0;
}

int notice_json(FILE *out, const receiver *rc, const registry *reg, const alert_group *g,
                const grouped_alert *const *list, size_t n, notice_reason why)
{
    size_t firing = 0;
    for (size_t i = 0; i < n; i++)
        firing += strcmp(list[i]->a.state, "firing") == 0;
    mpw w;
    mpw_init(&w);
    mpw_map(&w);
    mpw_kv_str(&w, "receiver", rc->name);
    mpw_kv_str(&w, "group", g->key);
    mpw_kv_str(&w, "reason", notice_reason_name(why));
    mpw_kv_int(&w, "firing", (int64_t)firing);
    mpw_kv_int(&w, "resolved", (int64_t)(n - firing));
    mpw_key(&w, "alerts");
    mpw_array(&w);
    for (size_t i = 0; i < n; i++) {
        proto_alert_event ev;
        alert_msg_fill(&ev.alert, reg, &list[i]->a, 0);
        snprintf(ev.previous, sizeof ev.previous, "%s", list[i]->previous);
        proto_alert_event_write(&w, &ev);
    }
    mpw_end(&w);
    mpw_end(&w);
    int rc_ = -1;
    msgpack_unpacked u;
    msgpack_unpacked_init(&u);
    if (mpw_ok(&w) &&
        msgpack_unpack_next(&u, mpw_data(&w), mpw_size(&w), NULL) == MSGPACK_UNPACK_SUCCESS &&
        proto_write_json(out, &u.data) == 0 && fputc('\n', out) != EOF)
        rc_ = 0;
    msgpack_unpacked_destroy(&u);
    mpw_free(&w);
    return rc_;
}
