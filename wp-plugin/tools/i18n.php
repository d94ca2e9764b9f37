<?php
/**
 * Translation tooling without wp-cli or gettext:
 *   php tools/i18n.php pot   — extracts __(), _e(), esc_html__(), esc_html_e(), esc_attr__() calls
 *                              with the 'nitka' domain from PHP and src/*.js into languages/nitka.pot
 *   php tools/i18n.php build — compiles every languages/nitka-*.po into .mo (PHP) and the JSON
 *                              file WordPress loads for the admin bundle (wp_set_script_translations).
 *
 * @package Nitka\WooCommerce
 */

if ( PHP_SAPI !== 'cli' ) {
	exit;
}
$root = dirname( __DIR__ );
$mode = $argv[1] ?? 'build';

/** @return string Decoded PHP/JS single- or double-quoted literal. */
function nitka_unquote( $literal ) {
	$q    = $literal[0];
	$body = substr( $literal, 1, -1 );
	return 'single' === ( "'" === $q ? 'single' : 'double' ) ? str_replace( array( "\\'", '\\\\' ), array( "'", '\\' ), $body ) : stripcslashes( $body );
}

/** @return string A .po string literal. */
function nitka_po( $s ) {
	return '"' . addcslashes( $s, "\"\\\n\t" ) . '"';
}

if ( 'pot' === $mode ) {
	$files = array_merge( glob( "$root/*.php" ), glob( "$root/includes/*.php" ), glob( "$root/includes/*/*.php" ), glob( "$root/src/*.js" ) );
	$lit   = '(\'(?:[^\'\\\\]|\\\\.)*\'|"(?:[^"\\\\]|\\\\.)*")';
	$found = array();
	foreach ( $files as $file ) {
		$text = file_get_contents( $file );
		preg_match_all( '/\b(?:__|_e|esc_html__|esc_html_e|esc_attr__)\(\s*' . $lit . '\s*,\s*[\'"]nitka[\'"]\s*,?\s*\)/', $text, $m, PREG_OFFSET_CAPTURE );
		foreach ( $m[1] as $hit ) {
			$line                                       = substr_count( substr( $text, 0, $hit[1] ), "\n" ) + 1;
			$found[ nitka_unquote( $hit[0] ) ][] = substr( $file, strlen( $root ) + 1 ) . ':' . $line;
		}
	}
	ksort( $found );
	$out = "# Nitka for WooCommerce.\n# This file is distributed under the GPL-2.0-or-later.\nmsgid \"\"\nmsgstr \"\"\n\"Project-Id-Version: Nitka for WooCommerce 0.1.0\\n\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n\"X-Domain: nitka\\n\"\n\n";
	foreach ( $found as $msgid => $refs ) {
		$out .= '#: ' . implode( ' ', array_unique( $refs ) ) . "\nmsgid " . nitka_po( $msgid ) . "\nmsgstr \"\"\n\n";
	}
	file_put_contents( "$root/languages/nitka.pot", $out );
	fwrite( STDOUT, count( $found ) . " strings\n" );
	exit( 0 );
}

foreach ( glob( "$root/languages/nitka-*.po" ) as $po ) {
	$entries = array();
	$msgid   = null;
	$current = null;
	foreach ( file( $po ) as $line ) {
		$line = trim( $line );
		if ( preg_match( '/^msgid (".*")$/', $line, $m ) ) {
			$msgid   = stripcslashes( substr( $m[1], 1, -1 ) );
			$current = 'id';
		} elseif ( preg_match( '/^msgstr (".*")$/', $line, $m ) ) {
			$entries[ $msgid ] = stripcslashes( substr( $m[1], 1, -1 ) );
			$current           = 'str';
		} elseif ( preg_match( '/^(".*")$/', $line, $m ) && null !== $msgid ) {
			if ( 'id' === $current ) {
				$msgid .= stripcslashes( substr( $m[1], 1, -1 ) );
			} else {
				$entries[ $msgid ] .= stripcslashes( substr( $m[1], 1, -1 ) );
			}
		}
	}
	$entries = array_filter( $entries, static fn( $v, $k ) => '' === $k || '' !== $v, ARRAY_FILTER_USE_BOTH );
	ksort( $entries, SORT_STRING );
	// GNU .mo: header, then the original and translation tables, then the strings.
	$n       = count( $entries );
	$ids     = array_keys( $entries );
	$strs    = array_values( $entries );
	$offset  = 28 + 16 * $n;
	$table_o = '';
	$table_t = '';
	$data    = '';
	foreach ( $ids as $id ) {
		$table_o .= pack( 'VV', strlen( $id ), $offset + strlen( $data ) );
		$data    .= $id . "\0";
	}
	foreach ( $strs as $str ) {
		$table_t .= pack( 'VV', strlen( $str ), $offset + strlen( $data ) );
		$data    .= $str . "\0";
	}
	// No hash table (size 0), but its offset points right after the two tables, as GNU msgfmt writes
	// it: WordPress's POMO reader before 6.5 takes hash offset - translations offset as the
	// translations table's length and refuses the file otherwise (6.5's reader does not care).
	file_put_contents( substr( $po, 0, -3 ) . '.mo', pack( 'VVVVVVV', 0x950412de, 0, $n, 28, 28 + 8 * $n, 0, 28 + 16 * $n ) . $table_o . $table_t . $data );

	$locale = substr( basename( $po, '.po' ), strlen( 'nitka-' ) );
	$json   = array( '' => array( 'domain' => 'nitka', 'lang' => $locale ) );
	foreach ( $entries as $id => $str ) {
		if ( '' !== $id ) {
			$json[ $id ] = array( $str );
		}
	}
	$file = "$root/languages/nitka-$locale-" . md5( 'build/admin.js' ) . '.json';
	file_put_contents( $file, json_encode( array( 'domain' => 'messages', 'locale_data' => array( 'messages' => $json ) ), JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES ) );
	fwrite( STDOUT, basename( $po ) . ": $n entries\n" );
}
