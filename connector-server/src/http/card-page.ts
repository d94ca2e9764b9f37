import express, { type Request, type Response, type Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import QRCode from 'qrcode';
import {
	CardAccessExpiredError,
	CardAccessInvalidError,
	verifyCardAccess,
} from '../core/card/card-access.ts';
import { issueCardQr, loadCardView } from '../core/card/card-view.ts';
import { NotFoundError } from '../core/errors.ts';
import { CARD_CSS, CARD_ICON, CARD_JS } from './card-assets.ts';
import type { AppContext } from './context.ts';

/** Nothing from elsewhere, no inline code: the page's own stylesheet, script and QR image only. */
const CSP =
	"default-src 'none'; img-src 'self'; style-src 'self'; script-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const REFRESH_MS = 30_000;
const ACCESS = /^nc1\.[A-Za-z0-9_-]{1,400}\.[A-Za-z0-9_-]{43}$/;

type Lang = 'ru' | 'en';

const TEXT = {
	ru: {
		title: 'Карта покупателя',
		hello: (name: string | null) => (name ? `${name}, это ваша карта покупателя` : 'Ваша карта покупателя'),
		qrAlt: 'QR-код карты покупателя',
		hint: 'Покажите QR-код на кассе. Он обновляется каждые 30 секунд — снимок экрана не подойдёт.',
		number: 'Номер карты (если QR не считывается)',
		until: (date: string) => `Ссылка действует до ${date}`,
		other: 'English',
		goneTitle: 'Ссылка на карту устарела',
		gone: 'Попросите новую в чате магазина: кнопка «Моя карта» или команда /card.',
		missingTitle: 'Карта не найдена',
		missing: 'Ссылка неверна. Откройте карту из чата магазина: кнопка «Моя карта» или команда /card.',
	},
	en: {
		title: 'Loyalty card',
		hello: (name: string | null) => (name ? `${name}, this is your loyalty card` : 'Your loyalty card'),
		qrAlt: 'Loyalty card QR code',
		hint: 'Show this QR code at the counter. It changes every 30 seconds, so a screenshot will not work.',
		number: 'Card number (if the QR code cannot be scanned)',
		until: (date: string) => `This link works until ${date}`,
		other: 'Русский',
		goneTitle: 'This card link has expired',
		gone: 'Ask for a new one in the shop’s chat: the “My card” button or the /card command.',
		missingTitle: 'Card not found',
		missing:
			'The link is wrong. Open your card from the shop’s chat: the “My card” button or the /card command.',
	},
} as const;

const escapeHtml = (value: string) =>
	value.replace(
		/[&<>"']/g,
		(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
	);

/** `2123456789012` → `2 123456 789012`, as an EAN-13 is printed under its barcode. */
export function groupLoyaltyNumber(value: string): string {
	return /^\d{13}$/.test(value) ? `${value.slice(0, 1)} ${value.slice(1, 7)} ${value.slice(7)}` : value;
}

function langOf(req: Request): Lang {
	const asked = req.query.lang;
	if (asked === 'en' || asked === 'ru') return asked;
	const header = String(req.headers['accept-language'] ?? '').toLowerCase();
	const first = header.split(',')[0]?.trim() ?? '';
	return first.startsWith('en') ? 'en' : 'ru';
}

function dateIn(lang: Lang, at: number): string {
	return new Date(at).toLocaleDateString(lang === 'ru' ? 'ru-RU' : 'en-GB', {
		timeZone: 'Europe/Moscow',
		day: 'numeric',
		month: 'long',
		year: 'numeric',
	});
}

/** Headers every card response carries: the link is a credential, so no caching, no referrer, no index. */
function privateHeaders(res: Response): void {
	res.set({
		'Content-Security-Policy': CSP,
		'Cache-Control': 'no-store',
		'Referrer-Policy': 'no-referrer',
		'X-Robots-Tag': 'noindex, nofollow',
	});
}

function page(lang: Lang, title: string, body: string): string {
	return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="assets/icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="assets/card.css">
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

function goneOrMissing(res: Response, lang: Lang, status: 404 | 410): void {
	const t = TEXT[lang];
	const [title, text] = status === 410 ? [t.goneTitle, t.gone] : [t.missingTitle, t.missing];
	privateHeaders(res);
	res
		.status(status)
		.type('html')
		.send(
			page(
				lang,
				title,
				`<section class="card gone"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></section>`,
			),
		);
}

/**
 * The customer's card (docs/counter.md): `GET /card/:access` (the page), `GET /card/:access/qr.svg`
 * (a fresh single-use `card` token as a QR image) and the page's assets. Public: the signed,
 * customer-scoped link is the only credential, and it shows the card and nothing else.
 */
export function cardPages(ctx: AppContext): Router {
	const router = express.Router();
	const card = ctx.card;
	router.use(
		'/card',
		rateLimit({
			windowMs: 60_000,
			limit: 120,
			standardHeaders: 'draft-8',
			legacyHeaders: false,
		}),
	);
	router.get('/card/assets/card.css', (_req, res) => {
		res.set('Cache-Control', 'public, max-age=3600').type('text/css').send(CARD_CSS);
	});
	router.get('/card/assets/icon.svg', (_req, res) => {
		res.set('Cache-Control', 'public, max-age=86400').type('image/svg+xml').send(CARD_ICON);
	});
	router.get('/card/assets/card.js', (_req, res) => {
		res.set('Cache-Control', 'public, max-age=3600').type('application/javascript').send(CARD_JS);
	});

	const access = (req: Request, res: Response) => {
		const lang = langOf(req);
		const raw = String(req.params.access ?? '');
		if (!card || !ACCESS.test(raw)) {
			goneOrMissing(res, lang, 404);
			return undefined;
		}
		try {
			return { lang, raw, ...verifyCardAccess(card.accessKey, raw, ctx.clock.now()) };
		} catch (error) {
			if (error instanceof CardAccessExpiredError) goneOrMissing(res, lang, 410);
			else if (error instanceof CardAccessInvalidError) goneOrMissing(res, lang, 404);
			else throw error;
			return undefined;
		}
	};

	router.get('/card/:access', async (req, res, next) => {
		try {
			const granted = access(req, res);
			if (!granted) return;
			const view = await loadCardView(ctx.db, granted.tenantId, granted.customerId, ctx.clock.now()).catch(
				(error: unknown) => {
					if (error instanceof NotFoundError) return null;
					throw error;
				},
			);
			if (!view) return goneOrMissing(res, granted.lang, 404);
			const t = TEXT[granted.lang];
			const other: Lang = granted.lang === 'ru' ? 'en' : 'ru';
			const qr = `${encodeURIComponent(granted.raw)}/qr.svg`;
			const body = `<section class="card">
<h1 class="shop">${escapeHtml(view.shopName)}</h1>
<p class="hello">${escapeHtml(t.hello(view.firstName))}</p>
<img id="qr" class="qr" src="${qr}" data-src="${qr}" data-refresh-ms="${REFRESH_MS}" width="280" height="280" alt="${escapeHtml(t.qrAlt)}">
<p class="hint">${escapeHtml(t.hint)}</p>
<p class="number"><span>${escapeHtml(t.number)}</span><strong id="loyalty-number">${escapeHtml(groupLoyaltyNumber(view.loyaltyNumber))}</strong></p>
</section>
<p class="foot">${escapeHtml(t.until(dateIn(granted.lang, granted.expiresAt)))} · <a href="?lang=${other}" lang="${other}">${escapeHtml(t.other)}</a></p>
<script src="assets/card.js" defer></script>`;
			privateHeaders(res);
			res
				.status(200)
				.type('html')
				.send(page(granted.lang, `${t.title} · ${view.shopName}`, body));
		} catch (error) {
			next(error);
		}
	});

	router.get('/card/:access/qr.svg', async (req, res, next) => {
		try {
			const granted = access(req, res);
			if (!granted) return;
			const qr = await issueCardQr(
				ctx.db,
				card!.counterKeys,
				granted.tenantId,
				granted.customerId,
				ctx.clock.now(),
			).catch((error: unknown) => {
				if (error instanceof NotFoundError) return null;
				throw error;
			});
			if (!qr) return goneOrMissing(res, granted.lang, 404);
			const svg = await QRCode.toString(qr.token, {
				type: 'svg',
				errorCorrectionLevel: 'M',
				margin: 4,
				color: { dark: '#000000ff', light: '#ffffffff' },
			});
			privateHeaders(res);
			// The shop's My Account page shows this image from its own origin.
			res.set('Cross-Origin-Resource-Policy', 'cross-origin');
			res.status(200).type('image/svg+xml').send(svg);
		} catch (error) {
			next(error);
		}
	});
	// Anything else under /card is a wrong link: the same 404 page, and the log names the pattern,
	// never a path that may carry someone's card link.
	router.all('/card/*rest', (req, res) => goneOrMissing(res, langOf(req), 404));
	return router;
}
