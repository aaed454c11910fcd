#!/usr/bin/env bash
# es-server.sh — owns real Elasticsearch / OpenSearch test servers for es_fdw.
#
#   scripts/es-server.sh start  <version> [port]   download (once), start, wait for yellow health
#   scripts/es-server.sh resume <version> [port]   start again a server that was killed, with its data
#   scripts/es-server.sh stop   <version> [port]   stop the server started on that port (no-op if none)
#   scripts/es-server.sh status <version> [port]   exit 0 if our server on that port is running
#   scripts/es-server.sh pid    <version> [port]   print the pid of our server on that port (to kill it)
#   scripts/es-server.sh url    <version> [port]   print http://127.0.0.1:<port> (https:// for tls-*)
#   scripts/es-server.sh ca     <version> [port]   tls-*: print the path of the running server's CA file
#   scripts/es-server.sh token  <version> [port]   tls-*: print a new bearer access token (20 min) of the admin user
#
# <version>: "8.19.0" means Elasticsearch 8.19.0; "os-2.19.6" means OpenSearch 2.19.6;
# "secure-8.19.0" means Elasticsearch 8.19.0 with security on (HTTP basic auth, no TLS) and the test
# users of secured_users() below; "tls-8.19.0" and "tls-9.5.0" add HTTPS to that (see tls_settings).
# Default ports: 8.19.0→19200, 7.10.2→19201, 7.17.28→19202, 9.5.0→19203, os-2.19.6→19204,
# secure-8.19.0→19205, tls-8.19.0→19206, tls-9.5.0→19207
# (anything else: pass a port). The transport port is <port>+100.
#
# Where things live:
#   build/es/dl/                  distribution zips copied out of the Maven cache (~/.m2)
#   build/es/<flavor>-<version>/  the unzipped distribution, reused across runs, never written to
#   build/es/run/<port>.dir       one line: the runtime directory of the server on <port>
#   $(mktemp -d)                  runtime directory: home/ (a private copy of the distribution, so
#                                 config/ and the keystore are writable), data/, logs/, es.pid, and for
#                                 tls-* certs/ (scripts/tls-certs.sh: ca.crt, client.crt, client.key, ...)
# The runtime directory is made with mktemp (honours TMPDIR) rather than under build/ because
# Elasticsearch refuses to run as root: as root we run it as the system user "esfdw", which must be
# able to reach every directory it uses, and the repository may sit somewhere that user cannot
# traverse (e.g. under /root). A private copy of the distribution there avoids that problem entirely.
#
# Java: ES 9.x needs Java 21+: the newest JDK under /usr/lib/jvm with major >= 21, else the default
# java if it is new enough. Older ES and OpenSearch: the default java (17 on Debian 12) if it is
# 11..23, else the newest JDK in that range. ES_FDW_SERVER_JAVA_HOME overrides the choice.
# Heap: ES_FDW_ES_HEAP (default 256m) for -Xms/-Xmx.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
ES_BUILD="$REPO_ROOT/build/es"
ES_USER=esfdw
HEAP="${ES_FDW_ES_HEAP:-256m}"
READY_TIMEOUT="${ES_FDW_ES_READY_TIMEOUT:-90}"

die() { echo "es-server.sh: error: $*" >&2; exit 1; }
say() { echo "es-server.sh: $*" >&2; }

usage() {
    sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

# --- version, flavor, port ---------------------------------------------------

flavor_of() { case "$1" in os-*) echo opensearch ;; *) echo elasticsearch ;; esac; }
number_of() { local v=${1#os-}; v=${v#secure-}; echo "${v#tls-}"; }
is_secured() { [[ $1 == secure-* || $1 == tls-* ]]; }
is_tls() { [[ $1 == tls-* ]]; }

# Test users of a secured server (fixtures, not secrets): name, password, role.
secured_users() {
    printf '%s\n' "esfdw_admin admin-secret-1 superuser" "esfdw_reader reader-secret-1 esfdw_read"
}
# A role that may read regress_* indices but not monitor the cluster (so GET /_nodes/_local is refused).
secured_roles() {
    printf '%s\n' "esfdw_read:" "  indices:" "    - names: ['regress_*']" \
        "      privileges: ['read', 'view_index_metadata']"
}
ADMIN_AUTH=(-u esfdw_admin:admin-secret-1)
# The subject of certs/client.crt, mapped to superuser by the PKI realm of a tls-* server.
PKI_USER_DN="CN=esfdw_pki"

default_port() {
    case "$1" in
        8.19.0) echo 19200 ;;
        7.10.2) echo 19201 ;;
        7.17.28) echo 19202 ;;
        9.5.0) echo 19203 ;;
        os-2.19.6) echo 19204 ;;
        secure-8.19.0) echo 19205 ;;
        tls-8.19.0) echo 19206 ;;
        tls-9.5.0) echo 19207 ;;
        *) die "no default port for version '$1': pass one (scripts/es-server.sh start $1 <port>)" ;;
    esac
}

maven_artifact() {
    local flavor=$1 number=$2
    if [[ $flavor == opensearch ]]; then
        echo "org.opensearch.distribution.integ-test-zip:opensearch:$number:zip"
    else
        echo "org.elasticsearch.distribution.integ-test-zip:elasticsearch:$number:zip"
    fi
}

# --- distribution ------------------------------------------------------------

# Fetch the zip through Maven (Maven Central; cached in ~/.m2). Runs in a directory without a
# pom.xml so the project's own reactor is not involved.
download_zip() {
    local flavor=$1 number=$2 dl="$ES_BUILD/dl"
    local zip="$dl/$flavor-$number.zip"
    mkdir -p "$dl"
    if [[ ! -s $zip ]]; then
        command -v mvn >/dev/null || die "mvn not found (apt-get install maven)"
        say "fetching $(maven_artifact "$flavor" "$number") through Maven"
        if ! (cd "$dl" && mvn -q -B org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy \
            -Dartifact="$(maven_artifact "$flavor" "$number")" -DoutputDirectory="$dl" \
            >"$dl/mvn.log" 2>&1); then
            cat "$dl/mvn.log" >&2
            die "could not fetch $flavor $number from Maven (is the version published as integ-test-zip?)"
        fi
    fi
    [[ -s $zip ]] || die "Maven did not produce $zip"
    echo "$zip"
}

# Unzip once into build/es/<flavor>-<number>; a lock makes concurrent starts safe.
install_dir() {
    local flavor=$1 number=$2 dest="$ES_BUILD/$1-$2"
    if [[ ! -x $dest/bin/$flavor ]]; then
        command -v unzip >/dev/null || die "unzip not found (apt-get install unzip)"
        local zip stage
        zip=$(download_zip "$flavor" "$number")
        exec 9>"$ES_BUILD/.unzip-$flavor-$number.lock"
        flock 9
        if [[ ! -x $dest/bin/$flavor ]]; then
            stage=$(mktemp -d "$ES_BUILD/.unzip.XXXXXX")
            unzip -q "$zip" -d "$stage" || die "could not unzip $zip"
            [[ -d $stage/$flavor-$number ]] || die "$zip has no top directory $flavor-$number/"
            rm -rf "$dest"
            mv "$stage/$flavor-$number" "$dest"
            rm -rf "$stage"
        fi
        exec 9>&-
    fi
    echo "$dest"
}

# --- java --------------------------------------------------------------------

# Major version of the JDK at $1 (from its release file, else from java -version).
jdk_major() {
    local home=$1 v=""
    if [[ -r $home/release ]]; then
        v=$(sed -n 's/^JAVA_VERSION="\([^"]*\)"/\1/p' "$home/release")
    fi
    if [[ -z $v ]]; then
        v=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n1)
    fi
    v=${v#1.}
    echo "${v%%[!0-9]*}"
}

default_java_home() {
    local java
    java=$(command -v java) || return 1
    java=$(readlink -f "$java")
    echo "${java%/bin/java}"
}

# Every JDK under /usr/lib/jvm (deduplicated), newest first, as "major home" lines.
jvm_candidates() {
    local j home
    for j in /usr/lib/jvm/*/bin/java; do
        [[ -x $j ]] || continue
        home=$(readlink -f "$j")
        home=${home%/bin/java}
        echo "$(jdk_major "$home") $home"
    done | sort -u | sort -k1,1nr
}

in_range() { [[ -n $1 && $1 -ge $2 && $1 -le $3 ]]; }

# Print the JDK home to run server <flavor> <number> with.
pick_java() {
    local flavor=$1 number=$2 min=11 max=23 def major home
    if [[ -n ${ES_FDW_SERVER_JAVA_HOME:-} ]]; then
        [[ -x $ES_FDW_SERVER_JAVA_HOME/bin/java ]] || die "ES_FDW_SERVER_JAVA_HOME=$ES_FDW_SERVER_JAVA_HOME has no bin/java"
        echo "$ES_FDW_SERVER_JAVA_HOME"; return
    fi
    if [[ $flavor == elasticsearch && ${number%%.*} -ge 9 ]]; then min=21; max=999; fi
    def=$(default_java_home || true)
    if [[ $min -lt 21 && -n $def ]] && in_range "$(jdk_major "$def")" "$min" "$max"; then
        echo "$def"; return
    fi
    while read -r major home; do
        if in_range "$major" "$min" "$max"; then echo "$home"; return; fi
    done < <(jvm_candidates)
    if [[ -n $def ]] && in_range "$(jdk_major "$def")" "$min" "$max"; then
        echo "$def"; return
    fi
    die "$flavor $number needs a JDK with major version $min..$max; none found under /usr/lib/jvm or on PATH (set ES_FDW_SERVER_JAVA_HOME)"
}

# --- running as a non-root user ----------------------------------------------

ensure_es_user() {
    id -u "$ES_USER" >/dev/null 2>&1 && return
    say "creating system user $ES_USER (Elasticsearch refuses to run as root)"
    useradd --system --user-group --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin "$ES_USER" || die "could not create user $ES_USER"
}

# Run a command as the server user (root: esfdw; otherwise: ourselves).
as_es_user() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u "$ES_USER" -- "$@"
    else
        "$@"
    fi
}

# --- state -------------------------------------------------------------------

state_file() { echo "$ES_BUILD/run/$1.dir"; }

runtime_of() {
    local f
    f=$(state_file "$1")
    [[ -r $f ]] && cat "$f"
}

running_pid() {
    local rt pid
    rt=$(runtime_of "$1") || return 1
    [[ -r $rt/es.pid ]] || return 1
    pid=$(cat "$rt/es.pid")
    [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
    echo "$pid"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

forget() {
    local rt
    rt=$(runtime_of "$1") || true
    [[ -n $rt && -d $rt && $rt != / ]] && rm -rf "$rt"
    rm -f "$(state_file "$1")"
}

# --- start -------------------------------------------------------------------

make_runtime() {
    local home=$1 port=$2 rt
    rt=$(mktemp -d "${TMPDIR:-/tmp}/es_fdw-es-$port.XXXXXX")
    mkdir -p "$ES_BUILD/run"
    echo "$rt" >"$(state_file "$port")"
    cp -a "$home" "$rt/home"
    mkdir -p "$rt/data" "$rt/logs"
    if [[ $(id -u) -eq 0 ]]; then
        chown -R "$ES_USER:" "$rt"
        as_es_user test -w "$rt/data" ||
            die "user $ES_USER cannot write $rt/data (is ${TMPDIR:-/tmp} traversable by other users?)"
    fi
    echo "$rt"
}

server_settings() {
    local home=$1 port=$2 rt=$3 version=$4
    printf '%s\n' "-Ehttp.port=$port" "-Etransport.port=$((port + 100))" \
        -Ediscovery.type=single-node -Enetwork.host=127.0.0.1 \
        "-Ecluster.name=esfdw-$port" "-Enode.name=esfdw-$port" \
        "-Epath.data=$rt/data" "-Epath.logs=$rt/logs" \
        -Ecluster.routing.allocation.disk.threshold_enabled=false
    if is_tls "$version"; then
        tls_settings
    elif is_secured "$version"; then
        printf '%s\n' -Expack.security.enabled=true -Expack.security.http.ssl.enabled=false \
            -Expack.security.transport.ssl.enabled=false
    # Only builds that ship the security module know this setting (not 7.10.2 OSS, not OpenSearch).
    elif [[ -d $home/modules/x-pack-security ]]; then
        echo -Expack.security.enabled=false
    fi
    return 0
}

# HTTPS with the certificates of tls-certs.sh (paths relative to config/); the server sends its chain
# with the CA so clients can pin the CA's fingerprint. A file realm for the users, and a PKI realm so a
# client certificate issued by the CA authenticates (mapped to a role in role_mapping.yml). Client
# certificates are optional: password and token clients need none.
tls_settings() {
    printf '%s\n' -Expack.security.enabled=true -Expack.security.transport.ssl.enabled=false \
        -Expack.security.http.ssl.enabled=true -Expack.security.http.ssl.key=node.key \
        -Expack.security.http.ssl.certificate=node-chain.crt \
        -Expack.security.http.ssl.certificate_authorities=ca.crt \
        -Expack.security.http.ssl.client_authentication=optional \
        -Expack.security.authc.realms.file.file1.order=0 -Expack.security.authc.realms.pki.pki1.order=1
}

# Which variable the launcher reads the JDK from (ES before 7.12 knew only JAVA_HOME).
java_home_var() {
    local flavor=$1 number=$2 major minor
    major=${number%%.*}; minor=${number#*.}; minor=${minor%%.*}
    if [[ $flavor == opensearch ]]; then echo OPENSEARCH_JAVA_HOME
    elif ((major < 7 || (major == 7 && minor < 12))); then echo JAVA_HOME
    else echo ES_JAVA_HOME
    fi
}

launch() {
    local flavor=$1 rt=$2 java=$3 port=$4
    local -a settings
    mapfile -t settings < <(server_settings "$rt/home" "$port" "$rt" "$6")
    (cd "$rt" && as_es_user env -u JAVA_HOME HOME="$rt" "$(java_home_var "$flavor" "$5")=$java" \
        ES_JAVA_OPTS="-Xms$HEAP -Xmx$HEAP" OPENSEARCH_JAVA_OPTS="-Xms$HEAP -Xmx$HEAP" \
        "$rt/home/bin/$flavor" -d -p "$rt/es.pid" "${settings[@]}" \
        >"$rt/startup.out" 2>&1 </dev/null)
}

show_log() {
    local rt=$1 f
    echo "----- $rt/startup.out -----" >&2
    tail -n 40 "$rt/startup.out" >&2 2>/dev/null || true
    for f in "$rt"/logs/esfdw-*.log; do
        [[ -f $f && $f != *deprecation* ]] || continue
        echo "----- tail of $f -----" >&2
        tail -n 60 "$f" >&2
    done
}

# Users and roles of a secured server, in its file realm (before it starts).
add_secured_users() {
    local rt=$1 java=$2 name password role
    secured_roles >>"$rt/home/config/roles.yml"
    while read -r name password role; do
        as_es_user env ES_JAVA_HOME="$java" "$rt/home/bin/elasticsearch-users" useradd "$name" \
            -p "$password" -r "$role" >/dev/null
    done < <(secured_users)
}

# The certificates of a tls-* server: made in <runtime>/certs, which (like the runtime directory) other
# users may traverse, so the PostgreSQL server's user can read ca.crt and the client files; the server's
# own copies go into its config/.
make_certs() {
    local rt=$1
    "$SCRIPT_DIR/tls-certs.sh" "$rt/certs" || die "could not make the TLS certificates"
    chmod 711 "$rt"
    chmod 755 "$rt/certs"
    cp "$rt/certs/node.key" "$rt/certs/node-chain.crt" "$rt/certs/ca.crt" "$rt/home/config/"
    printf '%s\n' "superuser:" "  - \"$PKI_USER_DN\"" >>"$rt/home/config/role_mapping.yml"
    [[ $(id -u) -eq 0 ]] && chown "$ES_USER:" "$rt/home/config/node.key" "$rt/home/config/node-chain.crt" \
        "$rt/home/config/ca.crt"
    return 0
}

# curl options that reach the server on <port> as the admin user (https with its CA for tls-*).
admin_curl_args() {
    local version=$1 port=$2
    if is_tls "$version"; then
        printf '%s\n' --cacert "$(runtime_of "$port")/certs/ca.crt" "${ADMIN_AUTH[@]}"
    elif is_secured "$version"; then
        printf '%s\n' "${ADMIN_AUTH[@]}"
    fi
}

base_url() {
    if is_tls "$1"; then echo "https://127.0.0.1:$2"; else echo "http://127.0.0.1:$2"; fi
}

wait_ready() {
    local rt=$1 port=$2 version=$3 deadline=$((SECONDS + READY_TIMEOUT)) body
    local -a auth
    mapfile -t auth < <(admin_curl_args "$version" "$port")
    while ((SECONDS < deadline)); do
        body=$(curl -sS --max-time 5 "${auth[@]}" \
            "$(base_url "$version" "$port")/_cluster/health?wait_for_status=yellow&timeout=1s" 2>/dev/null || true)
        if [[ $body == *'"timed_out":false'* ]]; then return 0; fi
        if ! running_pid "$port" >/dev/null && [[ -s $rt/es.pid ]]; then
            say "server on port $port died while starting"; return 1
        fi
        sleep 1
    done
    say "server on port $port not healthy after ${READY_TIMEOUT}s (last answer: ${body:-none})"
    return 1
}

cmd_start() {
    local version=$1 port=$2 flavor number home java rt pid t0=$SECONDS
    flavor=$(flavor_of "$version"); number=$(number_of "$version")
    if pid=$(running_pid "$port"); then
        say "$flavor $(cat "$(runtime_of "$port")/version" 2>/dev/null) already running on port $port (pid $pid)"
        [[ $(cat "$(runtime_of "$port")/version" 2>/dev/null) == "$version" ]] ||
            die "port $port runs another version; stop it first"
        return 0
    fi
    forget "$port"
    port_in_use "$port" && die "port $port is already in use by something else"
    command -v curl >/dev/null || die "curl not found (apt-get install curl)"
    home=$(install_dir "$flavor" "$number")
    java=$(pick_java "$flavor" "$number")
    [[ $(id -u) -eq 0 ]] && ensure_es_user
    rt=$(make_runtime "$home" "$port")
    echo "$version" >"$rt/version"
    say "starting $flavor $number on port $port (java $(jdk_major "$java") at $java, heap $HEAP, runtime $rt)"
    is_secured "$version" && add_secured_users "$rt" "$java"
    is_tls "$version" && make_certs "$rt"
    if ! launch "$flavor" "$rt" "$java" "$port" "$number" "$version" ||
        ! wait_ready "$rt" "$port" "$version" ||
        { is_tls "$version" && ! start_trial "$version" "$port"; }; then
        show_log "$rt"
        cmd_stop "$port" >/dev/null 2>&1 || true
        die "$flavor $number failed to start on port $port"
    fi
    say "$flavor $number ready on $(base_url "$version" "$port") after $((SECONDS - t0))s"
}

# Start a server that died (or was killed) again in its runtime directory, its data kept: what a real
# server's restart looks like to clients (start makes a fresh one).
cmd_resume() {
    local version=$1 port=$2 flavor number java rt pid t0=$SECONDS
    if pid=$(running_pid "$port"); then
        say "server on port $port already running (pid $pid)"
        return 0
    fi
    rt=$(runtime_of "$port") && [[ -d $rt/data ]] || die "no server of ours to resume on port $port (start one)"
    [[ $(cat "$rt/version" 2>/dev/null) == "$version" ]] || die "port $port ran $(cat "$rt/version" 2>/dev/null), not $version"
    port_in_use "$port" && die "port $port is already in use by something else"
    flavor=$(flavor_of "$version"); number=$(number_of "$version")
    java=$(pick_java "$flavor" "$number")
    rm -f "$rt/es.pid"
    if ! launch "$flavor" "$rt" "$java" "$port" "$number" "$version" || ! wait_ready "$rt" "$port" "$version"; then
        show_log "$rt"
        die "$flavor $number failed to resume on port $port"
    fi
    say "$flavor $number resumed on $(base_url "$version" "$port") with its data after $((SECONDS - t0))s"
}

# A trial license: the token service and the PKI realm need more than the basic license.
start_trial() {
    local version=$1 port=$2 body
    local -a auth
    mapfile -t auth < <(admin_curl_args "$version" "$port")
    body=$(curl -sS --max-time 30 "${auth[@]}" -X POST \
        "$(base_url "$version" "$port")/_license/start_trial?acknowledge=true" 2>&1 || true)
    [[ $body == *'"trial_was_started":true'* || $body == *'"type":"trial"'* ]] && return 0
    say "could not start a trial license on port $port: $body"
    return 1
}

# --- tls-* extras ------------------------------------------------------------

running_tls_runtime() {
    local version=$1 port=$2
    is_tls "$version" || die "'$version' has no TLS (use a tls-* version)"
    running_pid "$port" >/dev/null || die "no server of ours runs on port $port"
    runtime_of "$port"
}

cmd_ca() {
    local rt
    rt=$(running_tls_runtime "$1" "$2")
    echo "$rt/certs/ca.crt"
}

# POST /_security/oauth2/token with the password grant of the admin user; prints the access token.
cmd_token() {
    local version=$1 port=$2 body token
    local -a auth
    running_tls_runtime "$version" "$port" >/dev/null
    mapfile -t auth < <(admin_curl_args "$version" "$port")
    body=$(curl -sS --max-time 30 "${auth[@]}" -X POST -H 'Content-Type: application/json' \
        -d '{"grant_type":"password","username":"esfdw_admin","password":"admin-secret-1"}' \
        "$(base_url "$version" "$port")/_security/oauth2/token") || die "token request to port $port failed"
    token=$(sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p' <<<"$body")
    [[ -n $token ]] || die "no access_token in the answer: $body"
    echo "$token"
}

# --- stop --------------------------------------------------------------------

cmd_stop() {
    local port=$1 pid i
    if pid=$(running_pid "$port"); then
        kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < 300; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$pid" 2>/dev/null; then
            say "pid $pid did not stop in 30s; killing it"
            kill -KILL "$pid" 2>/dev/null || true
            sleep 0.5
        fi
        say "stopped server on port $port (pid $pid)"
    fi
    forget "$port"
}

main() {
    [[ $# -ge 2 && $# -le 3 ]] || usage
    local cmd=$1 version=$2 port=${3:-}
    [[ -n $port ]] || port=$(default_port "$version")
    [[ $port =~ ^[0-9]+$ ]] || die "port must be a number, got '$port'"
    case "$cmd" in
        start) cmd_start "$version" "$port" ;;
        resume) cmd_resume "$version" "$port" ;;
        stop) cmd_stop "$port" ;;
        pid) running_pid "$port" || die "no server of ours runs on port $port" ;;
        status) running_pid "$port" >/dev/null ;;
        url) base_url "$version" "$port" ;;
        ca) cmd_ca "$version" "$port" ;;
        token) cmd_token "$version" "$port" ;;
        *) usage ;;
    esac
}

main "$@"
