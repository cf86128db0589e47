/* version.h: leamond's version, as ping and status say it. */
#ifndef LEAMON_VERSION_H
#define LEAMON_VERSION_H

#define LEAMOND_VERSION "0.1.0"

#endif
