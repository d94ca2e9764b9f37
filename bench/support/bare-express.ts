import express from 'express';

/**
 * The baseline for the ingest benchmark: express receiving the same webhook and answering 200,
 * without storing anything. Nitka's figure is read against this in the same run.
 */
const app = express();
app.post('/hook', express.text({ type: () => true, limit: '1mb' }), (req, res) => {
	JSON.parse(req.body as string);
	res.json({ ok: true });
});
const server = app.listen(0, '127.0.0.1', () => {
	const address = server.address();
	if (address && typeof address === 'object')
		process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${address.port}` })}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
