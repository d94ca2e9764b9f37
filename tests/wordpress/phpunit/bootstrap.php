<?php
/**
 * PHPUnit bootstrap: loads the harness's real WordPress (tests/wordpress/setup.sh must have run).
 *
 * @package Nitka\Tests
 */

$nitka_state = json_decode( (string) file_get_contents( getenv( 'NITKA_WP_STATE' ) ?: dirname( __DIR__ ) . '/.run/state.json' ), true );
$nitka_url   = parse_url( $nitka_state['url'] );

$_SERVER['HTTP_HOST']      = $nitka_url['host'] . ':' . $nitka_url['port'];
$_SERVER['SERVER_NAME']    = $nitka_url['host'];
$_SERVER['REQUEST_URI']    = '/';
$_SERVER['REQUEST_METHOD'] = 'GET';

require $nitka_state['wpDir'] . '/wp-load.php';
