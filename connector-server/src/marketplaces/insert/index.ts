export { chooseLink, type InsertLink, type InsertPage } from './content.ts';
export { renderQrPng } from './qr.ts';
export { A6, renderInsertsPdf } from './render-pdf.ts';
