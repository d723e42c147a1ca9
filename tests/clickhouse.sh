# clickhouse.sh - ClickHouse 18.16 servers on 127.0.0.1 for the fleet's
# test and bench: two shards of a cluster "fleet", each with its own ports,
# data directory and config under $T, an analyst user (readonly=1), started
# in the background and stopped by PID.  Needs $T and $CH (the server).
# SPDX-License-Identifier: GPL-3.0-or-later

pids=()
stop_servers() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
}

# Free ports: a base picked at random, checked by trying to connect.
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# ch_ports: H1 T1 H2 T2, the HTTP and TCP ports of two servers: below the
# kernel's ephemeral range, where no client's connection (these tests make
# thousands, some still in TIME_WAIT) can hold the port a server binds.
ch_ports() {
	local try base lo
	read -r lo _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null ||
		lo=32768
	[ "$lo" -gt 12000 ] 2>/dev/null || lo=32768
	for try in 1 2 3 4 5 6 7 8 9 10; do
		base=$((10000 + RANDOM % (lo - 10004)))
		port_free $base && port_free $((base + 1)) &&
			port_free $((base + 2)) && port_free $((base + 3)) &&
			break
	done
	H1=$base T1=$((base + 1)) H2=$((base + 2)) T2=$((base + 3))
}

# config DIR HTTP TCP: one shard's config and users (an analyst read-only).
config() {
	mkdir -p "$1/data" "$1/tmp" "$1/log"
	cat >"$1/config.xml" <<EOF
<yandex>
 <logger><level>warning</level><log>$1/log/s.log</log>
  <errorlog>$1/log/e.log</errorlog><console>0</console></logger>
 <http_port>$2</http_port><tcp_port>$3</tcp_port>
 <listen_host>127.0.0.1</listen_host>
 <path>$1/data/</path><tmp_path>$1/tmp/</tmp_path>
 <user_files_path>$1/uf/</user_files_path>
 <format_schema_path>$1/fs/</format_schema_path>
 <users_config>$1/users.xml</users_config>
 <default_profile>default</default_profile>
 <default_database>default</default_database>
 <mark_cache_size>5368709</mark_cache_size>
 <max_concurrent_queries>20</max_concurrent_queries>
 <remote_servers><fleet>
  <shard><replica><host>127.0.0.1</host><port>$T1</port></replica></shard>
  <shard><replica><host>127.0.0.1</host><port>$T2</port></replica></shard>
 </fleet></remote_servers>
</yandex>
EOF
	cat >"$1/users.xml" <<EOF
<yandex>
 <profiles>
  <default><max_memory_usage>1000000000</max_memory_usage>
   <receive_timeout>10</receive_timeout>
   <connect_timeout_with_failover_ms>200</connect_timeout_with_failover_ms>
  </default>
  <analyst><readonly>1</readonly><max_memory_usage>1000000000</max_memory_usage>
   <max_execution_time>60</max_execution_time><receive_timeout>10</receive_timeout>
   <connect_timeout_with_failover_ms>200</connect_timeout_with_failover_ms>
  </analyst>
 </profiles>
 <users>
  <default><password></password><networks><ip>127.0.0.1</ip></networks>
   <profile>default</profile><quota>default</quota></default>
  <analyst><password>s3cret-pw</password><networks><ip>127.0.0.1</ip></networks>
   <profile>analyst</profile><quota>default</quota></analyst>
 </users>
 <quotas><default><interval><duration>3600</duration><queries>0</queries>
  <errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows>
  <execution_time>0</execution_time></interval></default></quotas>
</yandex>
EOF
}

# ch_start DIR HTTP: start a server, its PID in pids, wait until it
# answers.
ch_start() {
	"$CH" --config-file="$1/config.xml" >"$1/out" 2>&1 &
	pids+=($!)
	echo $! >"$1/pid"
	local i=0 t0=$SECONDS
	until [ "$(curl -s "http://127.0.0.1:$2/ping")" = "Ok." ]; do
		i=$((i + 1))
		if [ $i -gt 150 ] || [ $((SECONDS - t0)) -gt 30 ]; then
			return 1
		fi
		sleep 0.2
	done
}

# ch_servers N WHAT: ports, configs and N (1 or 2) servers in $T/ch1 and
# $T/ch2 on $H1 and $H2; one that does not start is the failed check
# "WHAT: clickhouse-server started", with the servers' logs, and the end.
ch_servers() {
	ch_ports
	config "$T/ch1" $H1 $T1
	[ "$1" -lt 2 ] || config "$T/ch2" $H2 $T2
	if ch_start "$T/ch1" $H1 && { [ "$1" -lt 2 ] || ch_start "$T/ch2" $H2; }
	then
		return 0
	fi
	notok "$2: clickhouse-server started" "$(cat "$T"/ch*/out \
	    "$T"/ch*/log/e.log 2>/dev/null | tail -20)"
	finish
}
