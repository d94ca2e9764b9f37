import express, { type Request, type Response, type Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import QRCode from 'qrcode';
import { TokenExpiredError, TokenInvalidError } from '../core/counter/errors.ts';
import { type QrTokenClaims, verifyQrToken } from '../core/counter/qr-tokens.ts';
import type { AppContext } from './context.ts';

/** Nothing from elsewhere, no script: the card's stylesheet and the QR image only. */
const CSP =
	"default-src 'none'; img-src 'self'; style-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const TOKEN = /^nq1\.[A-Za-z0-9_-]{1,600}\.[A-Za-z0-9_-]{43}$/;

const escapeHtml = (value: string) =>
	value.replace(
		/[&<>"']/g,
		(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
	);

function privateHeaders(res: Response): void {
	res.set({
		'Content-Security-Policy': CSP,
		'Cache-Control': 'no-store',
		'Referrer-Policy': 'no-referrer',
		'X-Robots-Tag': 'noindex, nofollow',
	});
}

function page(title: string, body: string): string {
	return `<!doctype html>
<html lang="ru">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="../card/assets/card.css">
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

function refuse(res: Response, status: 404 | 410, title: string, text: string): void {
	privateHeaders(res);
	res
		.status(status)
		.type('html')
		.send(
			page(
				title,
				`<section class="card gone"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></section>`,
			),
		);
}

/**
 * The return QR (journey 3): `GET /returns/:token` (a page: the shop, the return number, the QR,
 * until when) and `GET /returns/:token/qr.svg`. The link carries the approved return's signed,
 * single-use `return` token itself, which the counter spends when it scans it; showing the page
 * spends nothing. A forged link is 404, an expired one 410, a spent one says it was used.
 */
export function returnPages(ctx: AppContext): Router {
	const router = express.Router();
	router.use(
		'/returns',
		rateLimit({ windowMs: 60_000, limit: 120, standardHeaders: 'draft-8', legacyHeaders: false }),
	);

	const claimsOf = (req: Request, res: Response): (QrTokenClaims & { raw: string }) | undefined => {
		const raw = String(req.params.token ?? '');
		const keys = ctx.counter?.keys;
		if (!keys || !TOKEN.test(raw)) {
			refuse(res, 404, 'Ссылка неверна', 'Откройте QR-код возврата из сообщения магазина в чате.');
			return undefined;
		}
		try {
			const claims = verifyQrToken(keys, raw, ctx.clock.now());
			if (claims.kind !== 'return' || !claims.refId) throw new TokenInvalidError();
			return { ...claims, raw };
		} catch (error) {
			if (error instanceof TokenExpiredError)
				refuse(res, 410, 'Срок QR-кода истёк', 'Напишите магазину в чат: менеджер продлит возврат.');
			else if (error instanceof TokenInvalidError)
				refuse(res, 404, 'Ссылка неверна', 'Откройте QR-код возврата из сообщения магазина в чате.');
			else throw error;
			return undefined;
		}
	};

	router.get('/returns/:token', async (req, res, next) => {
		try {
			const claims = claimsOf(req, res);
			if (!claims) return;
			const [tenant, ret, used] = await Promise.all([
				ctx.db.selectFrom('tenants').select('name').where('id', '=', claims.tenantId).executeTakeFirst(),
				ctx.db
					.selectFrom('returns')
					.select(['number', 'state'])
					.where('tenant_id', '=', claims.tenantId)
					.where('id', '=', claims.refId!)
					.executeTakeFirst(),
				ctx.db
					.selectFrom('counter_token_uses')
					.select('jti')
					.where('tenant_id', '=', claims.tenantId)
					.where('jti', '=', claims.jti)
					.executeTakeFirst(),
			]);
			if (!tenant || !ret) return refuse(res, 404, 'Возврат не найден', 'Напишите магазину в чат.');
			const number = ret.number ?? '';
			if (used || ret.state !== 'approved') {
				privateHeaders(res);
				res
					.status(200)
					.type('html')
					.send(
						page(
							`Возврат ${number}`,
							`<section class="card"><h1 class="shop">${escapeHtml(tenant.name)}</h1><p class="hello">Возврат ${escapeHtml(number)} уже принят в магазине. QR-код больше не действует.</p></section>`,
						),
					);
				return;
			}
			const until = new Date(claims.expiresAt).toLocaleDateString('ru-RU', {
				timeZone: 'Europe/Moscow',
				day: 'numeric',
				month: 'long',
				year: 'numeric',
			});
			const qr = `${encodeURIComponent(claims.raw)}/qr.svg`;
			privateHeaders(res);
			res
				.status(200)
				.type('html')
				.send(
					page(
						`Возврат ${number} · ${tenant.name}`,
						`<section class="card">
<h1 class="shop">${escapeHtml(tenant.name)}</h1>
<p class="hello">Возврат ${escapeHtml(number)}</p>
<img class="qr" src="${qr}" width="280" height="280" alt="QR-код возврата">
<p class="hint">Покажите этот QR-код на кассе вместе с товаром. Код одноразовый.</p>
</section>
<p class="foot">Действует до ${escapeHtml(until)}</p>`,
					),
				);
		} catch (error) {
			next(error);
		}
	});

	router.get('/returns/:token/qr.svg', async (req, res, next) => {
		try {
			const claims = claimsOf(req, res);
			if (!claims) return;
			const svg = await QRCode.toString(claims.raw, {
				type: 'svg',
				errorCorrectionLevel: 'M',
				margin: 4,
				color: { dark: '#000000ff', light: '#ffffffff' },
			});
			privateHeaders(res);
			res.status(200).type('image/svg+xml').send(svg);
		} catch (error) {
			next(error);
		}
	});
	router.all('/returns/*rest', (_req, res) =>
		refuse(res, 404, 'Ссылка неверна', 'Откройте QR-код возврата из сообщения магазина в чате.'),
	);
	return router;
}
