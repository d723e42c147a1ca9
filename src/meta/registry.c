/* registry.c - the table of meta keys: names, types, descriptions. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <string.h>

#include "meta/meta.h"

#define M	MK_MULTI
#define H	(MK_MULTI | MK_HUNTING)

/* Values the parsers write to the hunting keys (src/parse). */
static const char *const meta_session_values[] = {
	"icmp reply without request", "icmp reply payload differs",
	"icmp non-standard payload", "icmp payload size varies",
	"icmp tunnel magic", "icmp carries protocol text", "icmp ping pattern",
	NULL
};
static const char *const meta_service_values[] = {
	"dns long query", "dns long label", "dns large answer",
	"dns base32 label", "dns base64 label", "dns base36 txt record",
	"dns base64 txt record", "dns high entropy label",
	"dns obscure record type", "dns low ttl",
	"hostname consecutive consonants", "hostname looks like ip address",
	"dns non-ascii name", "dns many distinct names",
	"anomalous or non-dns session on dns port", "http no user-agent",
	"http no referer", "direct to ip http request", NULL
};

/* Every key huntcon knows, core keys first in enum meta_core order. */
static const struct meta_key meta_table[] = {
	{ "sessionid", MT_UINT, 0, "session number, 1-based in order of first packet", NULL },
	{ "time", MT_TIME, 0, "time of the first packet", NULL },
	{ "lifetime", MT_UINT, 0, "seconds from first to last packet (floor)", NULL },
	{ "size", MT_UINT, 0, "bytes on the wire, both directions, link header included", NULL },
	{ "payload", MT_UINT, 0, "application bytes, both directions", NULL },
	{ "requestpayload", MT_UINT, 0, "application bytes from the initiator", NULL },
	{ "responsepayload", MT_UINT, 0, "application bytes from the responder", NULL },
	{ "payload.ratio.req", MT_UINT, 0, "percent of the payload sent by the initiator", NULL },
	{ "packets", MT_UINT, 0, "packets, both directions", NULL },
	{ "streams", MT_UINT, 0, "directions seen: 1 or 2", NULL },
	{ "medium", MT_UINT, 0, "1 Ethernet or Linux cooked, 13 raw IP or loopback", NULL },
	{ "eth.src", MT_MAC, 0, "Ethernet source of the initiator's first frame", NULL },
	{ "eth.dst", MT_MAC, 0, "Ethernet destination of the initiator's first frame", NULL },
	{ "eth.type", MT_UINT, 0, "outer ethertype of the first frame", NULL },
	{ "vlan.id", MT_UINT, M, "every VLAN id seen", NULL },
	{ "ip.src", MT_IPV4, 0, "IPv4 address of the initiator", NULL },
	{ "ip.dst", MT_IPV4, 0, "IPv4 address of the responder", NULL },
	{ "ipv6.src", MT_IPV6, 0, "IPv6 address of the initiator", NULL },
	{ "ipv6.dst", MT_IPV6, 0, "IPv6 address of the responder", NULL },
	{ "ip.proto", MT_UINT, 0, "IP protocol (for IPv6 the upper protocol)", NULL },
	{ "tcp.srcport", MT_UINT, 0, "TCP port of the initiator", NULL },
	{ "tcp.dstport", MT_UINT, 0, "TCP port of the responder", NULL },
	{ "udp.srcport", MT_UINT, 0, "UDP port of the initiator", NULL },
	{ "udp.dstport", MT_UINT, 0, "UDP port of the responder", NULL },
	{ "tcp.flags", MT_UINT, 0, "OR of all TCP flags seen (FIN 1 SYN 2 RST 4 PSH 8 ACK 16 URG 32 ECE 64 CWR 128)", NULL },
	{ "tcpflags", MT_TEXT, M, "names of the TCP flags seen", NULL },
	{ "icmp.type", MT_UINT, M, "ICMP or ICMPv6 types seen", NULL },
	{ "icmp.code", MT_UINT, M, "ICMP or ICMPv6 codes seen", NULL },
	{ "service", MT_UINT, 0, "protocol found by content, as its port number (mDNS 5353, LLMNR 5355, NetBIOS names 137); 0 unknown", NULL },
	{ "direction", MT_TEXT, 0, "outbound, inbound or lateral, by the home networks", NULL },
	{ "session.split", MT_UINT, 0, "0-based index of a fragment of a split conversation", NULL },
	{ "session.first", MT_UINT, 0, "sessionid of fragment 0 of a split conversation", NULL },
	{ "session.close", MT_TEXT, 0, "why a session closed early: 'max_open' at the open-session cap", NULL },
	{ "did", MT_TEXT, M, "capture files or interface the packets came from", NULL },
	{ "packets.missing", MT_UINT, 0, "packets of the session that can no longer be read: the spool deleted them to stay under its size, could not write them, or keeps none", NULL },
	/* Protocol keys (written by the parsers). */
	{ "alias.host", MT_TEXT, M, "host names: DNS, mDNS, LLMNR and NetBIOS names, HTTP Host, TLS SNI", NULL },
	{ "alias.ip", MT_IPV4, M, "IPv4 addresses: DNS answers, reverse lookups, HTTP Hosts", NULL },
	{ "alias.ipv6", MT_IPV6, M, "IPv6 addresses: DNS answers, reverse lookups, HTTP Hosts", NULL },
	{ "dns.querytype", MT_TEXT, M, "DNS query types ('a record' ...)", NULL },
	{ "dns.responsetype", MT_TEXT, M, "DNS answer types ('txt record' ...)", NULL },
	{ "dns.resptext", MT_TEXT, M, "DNS TXT strings", NULL },
	{ "error", MT_TEXT, M, "DNS response code name ('nxdomain' ...)", NULL },
	{ "action", MT_TEXT, M, "HTTP method", NULL },
	{ "directory", MT_TEXT, M, "HTTP request path directory", NULL },
	{ "filename", MT_TEXT, M, "HTTP request file name", NULL },
	{ "extension", MT_TEXT, M, "HTTP request file extension", NULL },
	{ "query", MT_TEXT, M, "HTTP query string", NULL },
	{ "client", MT_TEXT, M, "HTTP User-Agent or SSH client banner", NULL },
	{ "server", MT_TEXT, M, "HTTP Server or SSH server banner", NULL },
	{ "result.code", MT_TEXT, M, "HTTP status code", NULL },
	{ "content", MT_TEXT, M, "HTTP Content-Type", NULL },
	{ "referer", MT_TEXT, M, "HTTP Referer", NULL },
	{ "version", MT_TEXT, M, "TLS, SSH or QUIC protocol version", NULL },
	{ "crypto", MT_TEXT, M, "TLS cipher suite names", NULL },
	{ "ja3", MT_TEXT, M, "TLS client fingerprint (JA3 MD5)", NULL },
	{ "ja3s", MT_TEXT, M, "TLS server fingerprint (JA3S MD5)", NULL },
	{ "alpn", MT_TEXT, M, "application protocols a QUIC client offers (ALPN)", NULL },
	{ "sld", MT_TEXT, M, "second-level domain of the host names", NULL },
	{ "tld", MT_TEXT, M, "top-level domain (public suffix) of the host names", NULL },
	{ "root.host", MT_TEXT, M, "registrable domain of the host names", NULL },
	{ "icmp.pattern", MT_TEXT, M, "fill patterns of ping -p style echo payloads, in hex as -p takes them", NULL },
	/* Hunting keys. */
	{ "analysis.session", MT_TEXT, H, "session-level indicators", meta_session_values },
	{ "analysis.service", MT_TEXT, H, "service-level indicators (DNS, HTTP)", meta_service_values },
	{ "analysis.file", MT_TEXT, H, "file-level indicators", NULL },
	{ "ioc", MT_TEXT, H, "indicators of compromise", NULL },
	{ "boc", MT_TEXT, H, "behaviours of compromise", NULL },
	{ "eoc", MT_TEXT, H, "enablers of compromise", NULL },
};

#undef M
#undef H

/* Other names accepted for keys in queries and rules. */
static const struct {
	const char	*alias;
	int		 key;
} meta_aliases[] = {
	{ "payload.req", K_REQPAYLOAD },
	{ "payload.res", K_RESPAYLOAD },
	{ "tcp.flags.desc", K_TCPFLAGS },
};

/* Keys created at run time (alert keys not in the table). */
static struct meta_key	*meta_dyn;
static int		 meta_ndyn;

static const char *const meta_type_names[] = {
	"uint", "ipv4", "ipv6", "mac", "text", "time"
};

/* Number of keys now registered. */
int
meta_nkeys(void)
{
	return ((int)nitems(meta_table) + meta_ndyn);
}

/* The registry entry of a key id, or NULL. */
const struct meta_key *
meta_key(int id)
{
	if (id < 0)
		return (NULL);
	if (id < (int)nitems(meta_table))
		return (&meta_table[id]);
	id -= (int)nitems(meta_table);
	return (id < meta_ndyn ? &meta_dyn[id] : NULL);
}

/* Find a key or alias by name, case folded; -1 when unknown. */
int
meta_find(const char *name, size_t n)
{
	const struct meta_key	*k;
	size_t			 i;
	int			 id;

	for (id = 0; (k = meta_key(id)) != NULL; id++) {
		if (fold_eq(k->name, strlen(k->name), name, n))
			return (id);
	}
	for (i = 0; i < nitems(meta_aliases); i++) {
		if (fold_eq(meta_aliases[i].alias,
		    strlen(meta_aliases[i].alias), name, n))
			return (meta_aliases[i].key);
	}
	return (-1);
}

/* Find a key, or create it with the given type. */
int
meta_intern(const char *name, size_t n, enum mtype type)
{
	struct meta_key	*k;
	int		 id;

	if ((id = meta_find(name, n)) != -1)
		return (id);
	meta_dyn = xreallocarray(meta_dyn, meta_ndyn + 1, sizeof *meta_dyn);
	k = &meta_dyn[meta_ndyn++];
	k->name = xstrndup(name, n);
	k->type = type;
	k->flags = MK_DYNAMIC | MK_MULTI;
	k->desc = "written by rules";
	k->values = NULL;
	return (meta_nkeys() - 1);
}

/* Name of a value type. */
const char *
meta_type_name(enum mtype t)
{
	return ((unsigned)t < nitems(meta_type_names) ? meta_type_names[t] :
	    "?");
}
