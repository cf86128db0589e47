/* page.c: the report's page as a whole (see page.h). */
#include "report/page.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fileio.h"
#include "period.h"
#include "report/text.h"

static const char css[] =
    "@page{size:A4;margin:14mm 14mm 15mm 14mm}\n"
    "*{box-sizing:border-box}\n"
    "html{background:#e6e6e6}\n"
    "body{margin:0;font-family:'DejaVu Sans','Liberation Sans',Arial,Helvetica,sans-serif;"
    "font-size:9.5pt;line-height:1.35;color:#111;-webkit-print-color-adjust:exact;"
    "print-color-adjust:exact}\n"
    "main{width:210mm;margin:6mm auto;padding:14mm;background:#fff;box-shadow:0 0 4px #999}\n"
    "@media print{html{background:none}main{width:auto;margin:0;padding:0;box-shadow:none}}\n"
    "h1{font-size:17pt;margin:0 0 1.5mm;color:#1f3f73}\n"
    "h2{font-size:12pt;margin:5mm 0 1.5mm;color:#1f3f73;break-after:avoid;page-break-after:avoid}\n"
    "h3{font-size:10pt;margin:4mm 0 1.5mm;color:#1f3f73;break-after:avoid}\n"
    ".kicker{text-transform:uppercase;letter-spacing:.08em;font-size:8pt;color:#555;margin:0}\n"
    ".sub{font-size:12pt;margin:0 0 1mm}\n"
    ".meta{color:#444;font-size:8.5pt;margin:0 0 3mm}\n"
    ".banner{border:1.2pt solid #a11;color:#7a1111;padding:2mm 3mm;margin:3mm 0;font-weight:bold}\n"
    ".banner.pub{border-color:#1f4e99;color:#1f3f73;font-weight:normal}\n"
    ".banner.run,.banner.prov{border-color:#b8860b;color:#6b4e00}\n"
    "table{border-collapse:collapse;width:100%;font-size:8.5pt}\n"
    "th,td{border-bottom:.5pt solid #bbb;padding:.8mm 1.4mm;text-align:left;vertical-align:top}\n"
    "th{background:#eef2f8}\n"
    "thead{display:table-header-group}\n"
    "tr{break-inside:avoid;page-break-inside:avoid}\n"
    ".n{text-align:right;white-space:nowrap}\n"
    ".small{font-size:7.5pt;color:#444}\n"
    "a{color:inherit;text-decoration:none}\n"
    "section.ind{break-inside:avoid;page-break-inside:avoid;border-top:1pt solid #1f3f73;"
    "margin-top:4mm;padding-top:.5mm}\n"
    "section.ind h2{margin-top:1.5mm}\n"
    "h2 .no{color:#555}h2 .code{font-size:7.5pt;color:#666;font-weight:normal}\n"
    ".kern{margin:1mm 0 2mm}.kern b{font-size:11pt}\n"
    ".verdict{font-weight:bold;margin-left:1mm}.verdict.ok{color:#1d6b2a}.verdict.bad{color:#a11}"
    ".verdict.nj{font-weight:normal;color:#555}.prev.ok{color:#1d6b2a}.prev.bad{color:#a11}\n"
    ".charts{display:flex;gap:4mm;align-items:flex-start}\n"
    ".charts figure{flex:1 1 0;margin:0;min-width:0}\n"
    "figcaption{font-size:7.5pt;color:#444}\n"
    ".nobars{flex:1 1 0;border:.5pt dashed #bbb;padding:3mm;font-size:8pt;color:#555;"
    "align-self:center}\n"
    "svg.chart{width:100%;height:auto;display:block}\n"
    "svg text{font-family:inherit;font-size:9px;fill:#222}\n"
    "svg .ax{font-size:8px;fill:#444}svg .yr{font-size:7px}svg .lg{font-size:8.5px}\n"
    "svg .grid{stroke:#e0e0e0;stroke-width:.6}svg .axis{stroke:#777;stroke-width:.8}\n"
    "svg .val{fill:none;stroke:#1f4e99;stroke-width:1.8}\n"
    "svg .path{fill:none;stroke:#333;stroke-width:1.2;stroke-dasharray:5 3}\n"
    "svg .pt{fill:#1f4e99;stroke:#1f4e99;stroke-width:1.2}svg .pt.open{fill:#fff}\n"
    "svg .pt.bad{fill:#fff;stroke:#b22222;stroke-width:1.6}svg .bar.bad{fill:#d98c8c}\n"
    "svg .band{fill:#f2c4c4;fill-opacity:.55;stroke:none}\n"
    "svg .level{fill:none;stroke:#b22222;stroke-width:1;stroke-dasharray:1.5 2}\n"
    "svg .lvl{font-size:8px;fill:#8b1a1a}\n"
    "svg .bar{fill:#1f4e99}svg .bar.inc{fill:#9db3d8}svg .bar.tot{fill:#0e2a57}\n"
    "svg .tot{font-weight:bold}svg .pm{fill:#111}svg .pm.lv{fill:#b22222}\n"
    "svg .bv,svg .lvl,svg .lg,svg .none{paint-order:stroke;stroke:#fff;stroke-width:2.5px;"
    "stroke-linejoin:round}\n"
    "svg .none{fill:#777;font-style:italic;font-size:8px}svg .sup{fill:#555;font-size:7.5px}\n"
    "svg .empty{fill:#777;font-style:italic}\n"
    ".fn{font-size:7.5pt;color:#333;margin:1.5mm 0 0}.fn p{margin:0 0 .6mm}\n"
    "section.compl,section.alerts{break-before:page;page-break-before:always}\n"
    "table.grid td,table.grid th{padding:.5mm 1mm}\n"
    "table.grid .c{text-align:center;width:9mm}\n"
    "table.grid td.c{font-weight:bold}\n"
    ".st-T{background:#cfe8cf}.st-N{background:#ececec;color:#555}.st-L{background:#ffdf9e}"
    ".st-O{background:#f3b0b0}\n"
    ".legend span.c{display:inline-block;width:5mm;text-align:center;font-weight:bold;"
    "border:.5pt solid #999;margin-right:1mm}\n"
    "tbody.al{break-inside:avoid;page-break-inside:avoid}\n"
    "tr.hist td{font-size:7.5pt;color:#333;border-bottom:.5pt solid #bbb}\n"
    "table.alerts tr:not(.hist) td{border-bottom:none}\n"
    "tr.sev-critical td:first-child{border-left:2pt solid #a11}\n"
    "tbody.al:has(tr.sev-critical) tr.hist td:first-child{border-left:2pt solid #a11}\n"
    "table.summary td:first-child{width:6mm;color:#555}\n"
    "dl.method dt{font-weight:bold;margin-top:2mm}dl.method dd{margin:0 0 0 4mm}\n";

/* The banner of a report whose period has not ended: its figures are not final. */
static void write_running(rbuf *b, const report_t *r, const char *ptext)
{
    static const char *const what[] = {"De maand ", "Het ", "Het jaar ", "Het "};
    rb_add(b, "<p class=\"banner run\">");
    rb_add(b, r->p.kind >= PERIOD_MONTH && r->p.kind <= PERIOD_SCHOOLYEAR ? what[r->p.kind]
                                                                          : "De periode ");
    rb_esc(b, ptext);
    rb_add(b, " is nog niet voorbij: de cijfers in dit overzicht zijn niet definitief en kunnen "
              "nog veranderen, en de monitor beoordeelt ze nog niet tegen de doelen.</p>\n");
}

/* The banner of a report whose period has ended but whose figures are not all in: the
 * partners' time to deliver has not passed. */
static void write_provisional(rbuf *b, const report_t *r, const char *ptext)
{
    rb_add(b, "<p class=\"banner prov\">Voorlopige cijfers: ");
    rb_addf(b, "%zu van de %zu indicatoren over ", r->provisional, r->ninds);
    rb_esc(b, ptext);
    rb_add(b, " zijn nog voorlopig, omdat de partners nog mogen aanleveren en nog niet "
              "iedereen dat gedaan heeft. Zulke waarden staan er met \xe2\x80\x9cvoorlopig\xe2\x80\x9d en een "
              "open rondje bij, kunnen nog veranderen en krijgen nog geen oordeel; bij die "
              "indicatoren staat het oordeel over de laatste maand die w\xc3\xa9l definitief "
              "is.</p>\n");
}

static void write_head(rbuf *b, const report_t *r)
{
    char ptext[NL_TEXT_MAX], made[NL_TEXT_MAX], hm[16], from_t[NL_TEXT_MAX], to_t[NL_TEXT_MAX],
        from_code[PERIOD_TEXT_MAX];
    nl_period(ptext, sizeof ptext, r->period_text);
    nl_time(made, sizeof made, (int64_t)r->now, false);
    struct tm tm;
    if (localtime_r(&r->now, &tm))
        snprintf(hm, sizeof hm, "%02d:%02d", tm.tm_hour, tm.tm_min);
    else
        hm[0] = '\0';
    period f = period_month_from_number(r->first_month),
           l = period_month_from_number(r->last_month);
    snprintf(from_t, sizeof from_t, "%s %d", nl_month(f.index), f.year);
    snprintf(to_t, sizeof to_t, "%s %d", nl_month(l.index), l.year);
    month_code(from_code, sizeof from_code, r->first_month);
    const char *level = r->top->level;
    bool gm = !strcmp(level, "gemeente");

    rb_add(b, "<!DOCTYPE html>\n<html lang=\"nl\" data-leamon-report=\"1\" data-version=\"");
    rb_add(b, r->ed.pub ? "publiek" : "intern");
    rb_add(b, "\" data-period=\"");
    rb_esc(b, r->period_text);
    rb_add(b, "\" data-area=\"");
    rb_esc(b, r->top->code);
    rb_add(b, "\" data-from=\"");
    rb_esc(b, from_code);
    if (r->ed.pub)
        rb_addf(b, "\" data-min-cell=\"%d", r->ed.min_cell);
    rb_add(b, "\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"generator\" "
              "content=\"leamon report\">\n<title>");
    rb_add(b, "LEA-monitor ");
    rb_esc(b, r->top->name);
    rb_add(b, ", ");
    rb_esc(b, ptext);
    rb_add(b, "</title>\n<style>\n");
    rb_add(b, css);
    rb_add(b, "</style>\n</head>\n<body>\n<main>\n<header>\n<p class=\"kicker\">Lokale "
              "Educatieve Agenda &#183; monitor</p>\n<h1>Stand van de LEA-indicatoren, ");
    rb_esc(b, ptext);
    rb_add(b, "</h1>\n<p class=\"sub\">");
    if (level[0]) {
        char lv[24];
        snprintf(lv, sizeof lv, "%s", level);
        lv[0] = (char)(lv[0] >= 'a' && lv[0] <= 'z' ? lv[0] - 32 : lv[0]);
        rb_esc(b, lv);
        rb_add(b, " ");
    }
    rb_esc(b, r->top->name);
    rb_add(b, " <span class=\"small\">(");
    rb_esc(b, r->top->code);
    rb_add(b, ")</span></p>\n<p class=\"meta\">Gemaakt op ");
    rb_esc(b, made);
    if (hm[0]) {
        rb_add(b, " om ");
        rb_add(b, hm);
    }
    rb_add(b, " met leamon &#183; verloop vanaf ");
    rb_esc(b, from_t);
    rb_add(b, " &#183; ");
    rb_add(b, r->ed.pub ? "publieksversie" : "interne versie");
    rb_add(b, "</p>\n</header>\n");
    if (r->ed.pub)
        rb_addf(b,
                "<p class=\"banner pub\">Publieksversie. Aantallen zijn afgerond op vijftallen "
                "en aantallen kleiner dan %d zijn niet gepubliceerd (&lt;%d), zoals het CBS "
                "dat doet; percentages die op zo&#39;n klein aantal berusten, ook niet "
                "(\xe2\x80\x93).</p>\n",
                r->ed.min_cell, r->ed.min_cell);
    else
        rb_add(b, "<p class=\"banner\">Interne versie: bevat kleine, onafgeronde aantallen. Niet "
                  "publiceren; maak voor publicatie de publieksversie.</p>\n");
    if (r->running)
        write_running(b, r, ptext);
    else if (r->provisional)
        write_provisional(b, r, ptext);
    rb_add(b, "<p class=\"intro\">Dit overzicht toont hoe de indicatoren van de Lokale "
              "Educatieve Agenda ervoor staan in ");
    rb_add(b, gm ? "de gemeente " : "");
    rb_esc(b, r->top->name);
    rb_add(b, " over ");
    rb_esc(b, ptext);
    rb_add(b, ". De cijfers komen van de partners (kinderopvang, scholen, GGD en leerplicht), "
              "die elke maand hun aantallen aanleveren; de monitor rekent daaruit de indicatoren "
              "uit. Per indicator staan hieronder het verloop per maand van ");
    rb_esc(b, from_t);
    rb_add(b, " tot en met ");
    rb_esc(b, to_t);
    rb_add(b, " tegen het pad naar het doel, de stand per wijk en hoe volledig de cijfers "
              "zijn. Het <b>pad</b> is de rechte lijn van de uitgangswaarde naar het doel: waar "
              "de indicator nu zou staan als hij elk jaar even veel dichter bij het doel komt. "
              "Een waarde &#8216;op het pad&#8217; ligt op die lijn of aan de goede kant ervan. "
              "Daarna volgen de levering per organisatie en de signaleringen die open "
              "staan.</p>\n");
    rb_addf(b,
            "<h2>Overzicht</h2>\n<table class=\"summary\"><thead><tr><th></th>"
            "<th>Indicator (%zu)</th><th class=\"n\">",
            r->ninds);
    rb_esc(b, ptext);
    rb_add(b, "</th><th class=\"n\">Doel</th><th class=\"n\">Pad</th><th>Beoordeling</th>"
              "<th class=\"n\">Geleverd</th></tr></thead><tbody>\n");
}

static void write_method(rbuf *b, const report_t *r)
{
    rb_add(b, "<section class=\"method\"><h2>Toelichting</h2>\n<dl class=\"method\">"
              "<dt>Berekening</dt><dd>Een percentage over een gebied is de som van de tellers "
              "gedeeld door de som van de noemers van alles daaronder, nooit het gemiddelde van "
              "de percentages van de wijken. Over een langere periode telt per organisatie eerst "
              "de regel van het cijfer: een stand (bijvoorbeeld plaatsen) is de laatste maand, een "
              "stroom (nieuwe indicaties) het totaal.</dd>"
              "<dt>Volledigheid</dt><dd>Bij elke waarde staat hoeveel van de organisaties die "
              "cijfers moeten leveren dat gedaan hebben. Een voorlopige waarde (open rondje, *) "
              "is nog niet definitief en kan nog veranderen: haar periode loopt nog (lopende "
              "maand), of de termijn om te leveren is nog niet voorbij en niet alle "
              "organisaties hebben geleverd. Een maand zonder "
              "waarde is een onderbreking in de lijn: geen cijfer is geen nul.</dd>"
              "<dt>Doelen en pad</dt><dd>De doelen komen uit de beleidsstukken die bij elke "
              "indicator als bron genoemd zijn. Het pad is de rechte lijn van de uitgangswaarde "
              "naar het doel; een waarde &#8216;op het pad&#8217; ligt op of aan de goede kant van "
              "het pad. De monitor beoordeelt een waarde pas als haar periode voorbij is en de "
              "cijfers definitief zijn, en na het doeljaar op de waarde van het doeljaar zelf; "
              "een voorlopige of lopende waarde krijgt geen oordeel.</dd>"
              "<dt>Signaleringen</dt><dd>De gekleurde signaalzone in een grafiek is het gebied "
              "waar een signaleringsregel afgaat: onder (of boven) de signaalgrens, of verder "
              "van het pad dan de marge die de regel toestaat. Binnen die marge, tussen het pad "
              "en de zone, gaat het signaal niet af. Een grens voor de wijken staat alleen in de "
              "grafiek per wijk, over de balken van de wijken; het pad van het hele gebied staat "
              "alleen bij de balk van het gebied zelf (&#9650;).</dd>");
    if (r->ed.pub)
        rb_addf(b,
                "<dt>Publicatie</dt><dd>Deze publieksversie volgt de werkwijze van het CBS: "
                "aantallen (tellers, noemers en indicatoren die een aantal zijn) zijn "
                "afgerond op vijftallen, en aantallen kleiner dan %d zijn niet gepubliceerd "
                "(&lt;%d). Een percentage waarvan de teller of de noemer kleiner is dan %d, "
                "is ook niet gepubliceerd (\xe2\x80\x93); de overige percentages zijn berekend "
                "op de onafgeronde aantallen en afgerond op \xc3\xa9\xc3\xa9n decimaal. Gemiddelde "
                "uren "
                "per locatie en het aantal organisaties dat leverde gaan over organisaties, "
                "niet over kinderen, en zijn niet afgerond. De machineleesbare waarden "
                "(data-value) in dit bestand zijn de gepubliceerde.</dd>",
                r->ed.min_cell, r->ed.min_cell, r->ed.min_cell);
    else
        rb_add(b, "<dt>Controle</dt><dd>Elk getal uit de monitor staat ook onafgerond in het "
                  "bestand (data-value), met de indicator, het gebied en de periode, zodat het "
                  "na te rekenen is.</dd>");
    rb_add(b, "</dl></section>\n");
}

void page_init(page_t *pg)
{
    rb_init(&pg->head);
    rb_init(&pg->summary);
    rb_init(&pg->body);
}

void page_free(page_t *pg)
{
    rb_free(&pg->head);
    rb_free(&pg->summary);
    rb_free(&pg->body);
}

bool page_failed(const page_t *pg)
{
    return pg->head.failed || pg->summary.failed || pg->body.failed;
}

void page_head(page_t *pg, const report_t *r)
{
    write_head(&pg->head, r);
}

void page_finish(page_t *pg, const report_t *r)
{
    if (r->ninds == 0)
        rb_add(&pg->summary, "<tr><td></td><td colspan=\"6\">De monitor kent "
                             "geen indicatoren.</td></tr>\n");
    rb_add(&pg->summary, "</tbody></table>\n");
    write_method(&pg->body, r);
    rb_add(&pg->body, "</main>\n</body>\n</html>\n");
}

int page_save(const page_t *pg, leamon_ctx *ctx, const char *out)
{
    char part[4096];
    if (snprintf(part, sizeof part, "%s.part", out) >= (int)sizeof part) {
        leamon_error(ctx, "%s: path too long", out);
        return LEAMON_EXIT_USAGE;
    }
    int fd = open(part, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) {
        leamon_error(ctx, "%s: %s", part, strerror(errno));
        return LEAMON_EXIT_USAGE;
    }
    const rbuf *parts[] = {&pg->head, &pg->summary, &pg->body};
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < sizeof parts / sizeof parts[0]; i++)
        if (parts[i]->len && fileio_write_all(fd, parts[i]->buf, parts[i]->len) != 0)
            rc = -1;
    if (rc == 0 && fsync(fd) != 0)
        rc = -1;
    int saved = errno;
    if (close(fd) != 0 && rc == 0) {
        rc = -1;
        saved = errno;
    }
    if (rc == 0 && rename(part, out) != 0) {
        saved = errno;
        leamon_error(ctx, "%s: %s", out, strerror(saved));
        unlink(part);
        return LEAMON_EXIT_USAGE;
    }
    if (rc != 0) {
        leamon_error(ctx, "%s: %s", part, strerror(saved));
        unlink(part);
        return LEAMON_EXIT_USAGE;
    }
    return 0;
}
