#!/usr/bin/env bash
# Stops what setup.sh started (php -S process group, private MariaDB). Files stay for a fast restart.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RUN="${NITKA_WP_RUN:-$HERE/.run}"
if [ -f "$RUN/php-server.pid" ]; then kill -- "-$(cat "$RUN/php-server.pid")" 2>/dev/null; rm -f "$RUN/php-server.pid"; fi
mariadb-admin --socket="$RUN/mysql/mysqld.sock" shutdown 2>/dev/null || true
