/**
 * The language a page is written in, from words the English OCR model read (it reads the letters
 * of every Latin-script language, but not their accents: "Lefèvre" comes out "Lefevre"). Knowing
 * the language, the letterhead is read again with that language's model, and words that differ
 * only in their accents take its reading.
 */
import { fold } from './layout.ts';

/** Words typical of invoices in one language and rare in the others (folded: no accents). */
const MARKERS: Record<string, readonly string[]> = {
  deu: [
    'rechnung',
    'rechnungsnummer',
    'rechnungsdatum',
    'betrag',
    'menge',
    'mwst',
    'summe',
    'gesamtbetrag',
    'zahlbar',
    'steuernummer',
    'bezeichnung',
    'einzelpreis',
    'netto',
    'brutto',
    'umsatzsteuer',
    'fallig',
    'anzahl',
    'stk',
    'gmbh',
    'leistung',
    'vielen',
    'gegeben',
    'ruckgeld',
    'kasse',
    'beleg',
    'danke',
    'kassenbon',
  ],
  fra: [
    'facture',
    'montant',
    'tva',
    'ttc',
    'echeance',
    'prix',
    'quantite',
    'designation',
    'unitaire',
    'reglement',
    'sarl',
    'siret',
    'hors',
    'taxes',
    'qte',
    'merci',
    'paiement',
    'payer',
    'especes',
    'rendu',
    'monnaie',
    'caisse',
    'carte',
  ],
  spa: [
    'factura',
    'fecha',
    'importe',
    'cantidad',
    'precio',
    'vencimiento',
    'descripcion',
    'base',
    'imponible',
    'cif',
    'concepto',
    'emision',
    'unidades',
    'gracias',
    'pago',
    'efectivo',
    'cambio',
    'entregado',
    'cuota',
    'simplificada',
    'tarjeta',
    'cajero',
    'articulos',
  ],
  ita: [
    'fattura',
    'importo',
    'quantita',
    'prezzo',
    'scadenza',
    'imponibile',
    'descrizione',
    'totale',
    'partita',
    'emissione',
    'pagamento',
    'qta',
    'grazie',
    'destinatario',
    'contanti',
    'resto',
    'scontrino',
    'cassa',
  ],
  por: [
    'fatura',
    'quantidade',
    'preco',
    'valor',
    'vencimento',
    'montante',
    'descricao',
    'contribuinte',
    'emissao',
    'emitida',
    'faturar',
    'artigo',
    'qtd',
    'lda',
    'obrigado',
    'taxa',
    'dinheiro',
    'troco',
    'talao',
    'cartao',
    'caixa',
  ],
  nld: [
    'factuur',
    'factuurnummer',
    'factuurdatum',
    'bedrag',
    'aantal',
    'prijs',
    'btw',
    'totaal',
    'vervaldatum',
    'omschrijving',
    'betalen',
    'subtotaal',
    'uitgiftedatum',
    'eenheidsprijs',
    'hoeveelheid',
    'kvk',
    'bedankt',
    'contant',
    'wisselgeld',
    'kassa',
    'kassabon',
    'dank',
  ],
};
const ENGLISH = [
  'invoice',
  'amount',
  'quantity',
  'price',
  'due',
  'total',
  'description',
  'date',
  'tax',
  'balance',
  'subtotal',
  'qty',
];

/** The page's language when its words say so clearly (≥ 3 distinct markers, more than English), else null. */
export function detectLanguage(texts: readonly string[]): string | null {
  const words = new Set(texts.map((t) => fold(t).replace(/[^\p{L}]/gu, '')).filter((t) => t.length >= 3));
  const count = (list: readonly string[]): number => list.filter((w) => words.has(w)).length;
  const [best, hits] = Object.entries(MARKERS)
    .map(([lang, list]) => [lang, count(list)] as const)
    .sort((a, b) => b[1] - a[1])[0]!;
  return hits >= 3 && hits > count(ENGLISH) ? best : null;
}

export interface Box {
  text: string;
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/**
 * Words of the first reading, each replaced by the second reading's word at the same place when
 * the two differ only in accents and case of accented letters ("Lefevre" → "Lefèvre").
 */
export function withAccentsFrom<T extends Box>(first: readonly T[], second: readonly Box[]): T[] {
  return first.map((w) => {
    const same = second.find(
      (s) =>
        overlapShare(w, s) > 0.5 && s.text !== w.text && fold(s.text) === fold(w.text) && /[^\p{ASCII}]/u.test(s.text),
    );
    return same ? { ...w, text: same.text } : w;
  });
}

function overlapShare(a: Box, b: Box): number {
  const x = Math.max(0, Math.min(a.right, b.right) - Math.max(a.left, b.left));
  const y = Math.max(0, Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top));
  const area = Math.max(1, (a.right - a.left) * (a.bottom - a.top));
  return (x * y) / area;
}
