/**
 * Multilingual label dictionary (EN/DE/FR/NL/PL/ES/IT). Patterns run on fold()ed text
 * (lower case, no diacritics). Generic vocabulary only: nothing here may name a vendor.
 */

export type LabelKind = 'id' | 'date' | 'text' | 'currency' | 'taxid';

export interface LabelDef {
  /** Textract SummaryField type, or an internal type starting with `_` that is never emitted. */
  type: string;
  re: RegExp;
  weight: number;
  kind: LabelKind;
  /** Only as the first words of a segment: a bare "No." or "Ref." inside a phrase is no label. */
  leading?: boolean;
}

// Letters-or-digits boundaries: \b is ASCII-only and folded text may still hold ß, ł, ø.
const B = '(?<![\\p{L}\\p{N}_])';
const E = '(?![\\p{L}\\p{N}_])';
const def = (type: string, src: string, weight: number, kind: LabelKind, leading = false): LabelDef => ({
  type, re: new RegExp(`${B}(?:${src})${E}\\.?\\s*:?`, 'gu'), weight, kind, leading,
});

const DOC = 'invoice|inv|bill|receipt|tax invoice|\\p{L}{0,20}rechnung(?:s\\p{L}{0,20})?|faktura|faktury|facture|factuur|fattura|factura|fatura|beleg|quittung|gutschrift|avoir|credit note|creditnota|nota|documento|document|doc';
// "n.º" folds to "n.o".
const NUM = 'number|num|no|nro|nr|n\\.o|n(?=\\.)|n°|n °|nº|#|nummer|numero|numer|id|ref';

export const LABELS: LabelDef[] = [
  // Invoice number.
  // The title may carry a type code or a qualifier before the number sign: "Rechnung (380) Nr.",
  // "Gutschrift (Selbst ausgestellte Rechnung) (389) Nr.", "Rechnung des Versicherers Nr.",
  // "Schlussrechnung Bau (877) Nr.".
  def('INVOICE_RECEIPT_ID', `(?:${DOC})\\.?(?:[\\s-]+(?:\\([^()]{1,40}\\)|(?:des|der|de|del|della|of) \\p{L}{2,20}|\\p{L}{2,20}(?= ?\\()))*[\\s-]*(?:${NUM})`, 1, 'id'),
  def('INVOICE_RECEIPT_ID', `(?:numero|num|n°|nº|n\\.o|no|nr|number)\\.?\\s*(?:de |of |della |da |do |du |van de |van )?(?:la |el |del )?(?:facture|factura|fattura|fatura|factuur|faktury|invoice|rechnung|doc|document|documento|documentos|pièce|piece)`, 1, 'id'),
  // German abbreviations: "Re-Nr.", "Rg.-Nr.", "Rechn.-Nr.".
  def('INVOICE_RECEIPT_ID', '(?:re|rg|rech|rechn)\\.?[\\s-]*nr', 1, 'id'),
  // A bare number sign or reference heading, when the title stands apart ("FACTUUR" … "Nummer: 123").
  def('INVOICE_RECEIPT_ID', 'number|nummer|numero|nr|no|n\\.o|n°|n(?=\\.)|ref|reference|referencia|riferimento|referentie', 0.6, 'id', true),
  def('INVOICE_RECEIPT_ID', 'booking id|receipt id|transaction id', 0.5, 'id'),

  // Dates. Longer, qualified phrases win over the plain word at overlap resolution.
  def('INVOICE_RECEIPT_DATE', `(?:${DOC}|liefer- und rechnungs)[\\s-]*(?:date|datum|data|fecha)|date (?:de (?:la )?)?(?:facture|facturation|factura)|data (?:faktury|wystawienia|fattury|della fattura|fattura)|fecha (?:de )?(?:factura|emision|expedicion)|issue date|date of issue|issued on|ausstellungsdatum|date d'emission|data (?:di )?emissione|tax point`, 1, 'date'),
  def('DUE_DATE', `due date|date due|payment due(?: date)?|due on|due by|pay by|payable by|please pay by|zahlbar bis(?: zum)?|fallig bis|fallig|betalen voor|te betalen voor|pagamento entro(?: il)?|scadenza pagamento|pagar ate|pagar antes de(?:l)?|data de vencimento|vencimento|data limite de pagamento|fecha limite de pago|vence el|vence|a regler avant le|payable avant le|payable le|terms:? due|faelligkeit(?:sdatum)?|falligkeit(?:sdatum)?|fallig am|zahlungsziel|zahlbar (?:[\\p{L}\\d%,. ]{0,40}?)bis(?: zum| spatestens)?|bitte (?:uberweisen|zahlen) sie (?:den betrag )?bis(?: zum| spatestens)?|(?:uberweisen|zahlen) sie (?:den betrag )?bitte bis(?: zum| spatestens)?|vervaldatum|vervaldag|uiterste betaaldatum|date d'echeance|echeance|date limite de paiement(?: le)?|a payer avant le|termin platnosci|fecha de vencimiento|vencimiento|data (?:di )?scadenza|scadenza|scade il|scade`, 1, 'date'),
  // A bare "Due" heading (a two-line "Payment / due" column heading, "Due: 04/04/2026").
  def('DUE_DATE', 'due', 0.8, 'date', true),
  def('_OTHER_DATE', `(?:order|orderdatum|bestell|auftrags?|auftrag-datum-lief|delivery|lieferschein|liefer|leistungs|versand|ship(?:ping)?|service|print(?:ed)?|commande|livraison|lever|zamowienia|pedido|ordine|consegna)[\\s-]*(?:date|datum|data|fecha|on)|liefer- und leistungsdatum|leistungsdatum|lieferdatum|orderdatum|leverdatum|date de (?:livraison|commande|debut|fin)(?: de prestation)?|date de facture associee|(?:billing |abrechnungs)?(?:period|zeitraum)|check ?in|check ?out|zeit`, 1, 'date'),
  def('INVOICE_RECEIPT_DATE', 'date|datum|data|fecha|dated', 0.7, 'date'),
  // Connectors after an invoice number ("Nr. 4711 vom 05.06.2018"); boosted only in that position.
  def('_DATE_CONNECTOR', 'vom|von|du|del|van|of|from|le|den', 0.3, 'date'),

  def('PO_NUMBER', `(?:po|p\\.o\\.|purchase order|order|bestell(?:ung)?|ihre auftrags?|auftrags?|commande|bon de commande|inkooporder|zamowienie|pedido|ordine)[\\s-]*(?:${NUM})?`, 0.8, 'id'),
  def('PAYMENT_TERMS', 'payment terms|terms of payment|zahlungsbedingungen?|zahlungskonditionen|conditions de (?:paiement|reglement)|betalingsvoorwaarden|betalingstermijn|betalingscondities|warunki platnosci|condiciones de pago|termini di pagamento|condizioni di pagamento', 1, 'text'),
  def('PAYMENT_METHOD', 'payment method|payment mode|payment type|method of payment|paid by|paid with|paid via|zahlungsart|zahlungsform|zahlungsweise|zahlungstyp(?: \\(codiert\\))?|modes? de (?:paiement|reglement)|moyen de paiement|betaalwijze|betaalmethode|betaald met|forma de pago|metodo de pago|metodo di pagamento|modalita di pagamento|sposob platnosci|forma platnosci|metoda platnosci', 1, 'text'),
  def('_CURRENCY', 'currency|wahrung|devise|valuta|waluta|moneda|divisa|betrage in|amounts in|prices are in|all charges and prices are in|montants en|bedragen in', 1, 'currency'),
  def('VENDOR_VAT_NUMBER', '(?:ust|umsatzsteuer)[\\s.-]*id(?:ent)?[\\s.-]*(?:nr|nummer)?|(?:vat|gst|hst|sst|abn) (?:reg(?:istration)?\\.? )?(?:no|number|id|nr)|(?:vat|gst|sst) reg(?:istration)?|gst(?:in| id)|n° (?:de )?tva(?: intra(?:communautaire)?)?|tva intra(?:communautaire)?|btw[\\s-]*(?:nummer|nr|id)|gstin|vat/tin|nip|cif|nif|p\\. ?iva|partita iva|steuernummer|steuer-nr|tax id|tin', 0.8, 'taxid'),
];

/** A document title on its own segment; a following id-like token is the invoice number. */
export const TITLE_RE = /^(?:(?:kopie|copy|duplicate|duplikat|original|copie)\s+)?(?:tax invoice|(?:payment |cash |sales )?receipt|invoice|rechnung|handelsrechnung|facture|factuur|fattura|factura|fatura|faktura(?: vat)?|avoir|gutschrift|credit note|creditnota|receipt|bill|note de credit)(?![\p{L}\p{N}])\s*:?\s*/u;

/** Words that make an amount label something other than a document total. */
export const AMOUNT_EXCLUDE = [
  'zuschlag', 'zuschlage', 'abschlag', 'abschlage', 'rabatt', 'skonto', 'discount', 'remise', 'korting', 'anzahlung', 'anzahlungen',
  'acompte', 'deposit', 'prepaid', 'paid', 'received', 'erhalten', 'erhaltene', 'credits', 'leergut', 'pfand', 'bezahlt', 'shipping', 'versand', 'porto',
  'frais', 'preis', 'bruttopreis', 'nettopreis', 'listenpreis', 'stuckpreis', 'grundpreis', 'price', 'prix', 'prijs', 'cena', 'precio', 'prezzo', 'rate', 'p.u', 'pu', 'unit', 'einzelpreis', 'stuk', 'qty', 'quantity', 'menge',
  'aantal', 'quantite', 'ilosc', 'cantidad', 'quantita', 'pcs', 'stk', 'rounding', 'rundung', 'kunden', 'customer', 'account', 'konto', 'kontonummer',
  'iban', 'bic', 'phone', 'tel', 'fax', 'capital', 'kapital', 'freight', 'fracht', 'basis', 'base', 'basisbetrag', 'tarif',
  // Payment terms ("Terms: Net 30", "Netto 14 Tage") name a period, not an amount.
  'terms', 'term', 'days', 'tage', 'jours', 'dias', 'giorni', 'dagen',
];
export const AMOUNT_DUE_WORDS = ['amount due', 'balance due', 'total due', 'due amount', 'amount payable', 'to pay', 'please pay', 'amount owing', 'total payable', 'payable', 'valor em divida', 'valor a pagar', 'total a pagar', 'montante em divida', 'saldo pendiente', 'saldo', 'importe pendiente', 'te voldoen', 'openstaand bedrag', 'totale da pagare', 'saldo dovuto', 'falliger betrag', 'faelliger betrag', 'noch zu zahlen', 'reste du', 'solde du', 'solde', 'zahlbetrag', 'zu zahlen', 'zu zahlender betrag', 'offener betrag', 'restbetrag', 'net a payer', 'a payer', 'reste a payer', 'somme a payer', 'montant du', 'te betalen', 'openstaand', 'do zaplaty', 'importe a pagar', 'a pagar', 'da pagare', 'a pagare', 'importo dovuto', 'total amount due', 'balance'];
/** Cash handed over and change given on receipts: evidence for the total, never the total. */
/** A cash-rounding line: its figure is the adjustment, or the rounded total itself ("Rounding RM 182.00"). */
export const ROUNDING_WORDS = ['rounding', 'rounded', 'round off', 'rundung', 'arrondi', 'redondeo', 'arrotondamento', 'afronding', 'pembundaran'];
export const TENDERED_WORDS = ['cash', 'credit card', 'visa', 'mastercard', 'tendered', 'tender', 'paid amount', 'amount paid', 'amount tendered', 'gegeben', 'espece', 'especes', 'efectivo', 'entregado', 'contanti', 'dinheiro', 'contant', 'tunai', 'bayar'];
export const CHANGE_WORDS = ['change', 'change due', 'ruckgeld', 'wechselgeld', 'rendu', 'monnaie rendue', 'cambio', 'vuelto', 'resto', 'troco', 'wisselgeld', 'baki', 'kembalian'];
/** Net-amount phrases that hold a word the exclusions list ("base"): a subtotal all the same. */
export const TAX_BASE_WORDS = ['base imponible', 'base imponibile', 'base tributavel', 'tax base', 'taxable base', 'base ht', 'base hors taxes', 'grondslag', 'bemessungsgrundlage'];
export const TAX_WORDS = ['tax', 'taxes', 'vat', 'gst', 'hst', 'pst', 'qst', 'tps', 'tvq', 'tvh', 'tva', 'btw', 'iva', 'i.v.a', 'b.t.w', 't.v.a', 'm.w.st', 'u.st', 'g.s.t', 'igic', 'icms', 'moms', 'mwst', 'ust', 'umsatzsteuer', 'mehrwertsteuer', 'steuer', 'steuerbetrag', 'taxe', 'impuesto', 'imposta', 'podatek', 'ptu', 'vat amount', 'btw bedrag'];
export const NET_WORDS = ['net', 'netto', 'nett', 'excl', 'exkl', 'exclusief', 's/ iva', 's/iva', 'sem iva', 'sin iva', 'senza iva', 'iliquido', 'liquido', 'hors taxes', 'hors tva', 'avant taxes', 'ohne mwst', 'ohne ust', 'zonder btw', 'excluding', 'exclusive', 'ohne mehrwertsteuer', 'ohne steuer', 'hors taxe', 'ht', 'h.t', 'sans tva', 'sans taxe', 'bez vat', 'bez podatku', 'sin impuestos', 'senza imposte', 'imponibile', 'base imponible', 'tax base', 'grondslag', 'taxable', 'before tax', 'pre-tax', 'zonder belasting', 'nettobetrag', 'nettosumme', 'netto-betrag'];
export const GROSS_WORDS = ['gross', 'brutto', 'incl', 'inkl', 'inclusief', 'c/ iva', 'com iva', 'iva incluido', 'iva incluida', 'ivato', 'ivata', 'toutes taxes', 'including', 'inclusive', 'ttc', 't.t.c', 'con iva', 'bruttosumme', 'bruttobetrag'];
export const SUBTOTAL_WORDS = ['subtotal', 'sub-total', 'sub total', 'zwischensumme', 'sous-total', 'sous total', 'subtotaal', 'suma czesciowa', 'totale parziale', 'totale merce', 'totale imponibile', 'positionssumme', 'warenwert', 'summe positionen', 'line total', 'nettowert', 'goederen'];
export const TOTAL_STRONG = ['grand total', 'total amount', 'invoice total', 'gesamtbetrag', 'gesamtsumme', 'endbetrag', 'endsumme', 'rechnungsbetrag', 'rechnungssumme', 'summe gesamt', 'total general', 'totaal bedrag', 'factuurbedrag', 'importe total', 'totale fattura', 'razem do zaplaty', 'total facture', 'total ttc', 'totaal'];
export const TOTAL_WORDS = ['total', 'totaal', 'totale', 'gesamt', 'summe', 'som', 'razem', 'suma', 'totaux', 'insgesamt'];
export const TOTAL_WEAK = ['amount', 'betrag', 'montant', 'bedrag', 'importe', 'importo', 'kwota'];

/** Printed names of payment methods, for invoices that state one without a label. */
export const PAYMENT_METHOD_WORDS = [
  'iDEAL', 'PayPal', 'Credit Card', 'Debit Card', 'Visa', 'Mastercard', 'American Express', 'Amex', 'Apple Pay', 'Google Pay',
  'Klarna', 'Bancontact', 'Giropay', 'Cash on Delivery', 'Cash at Hotel', 'Cash', 'Bank Transfer', 'Wire Transfer', 'Direct Debit',
  'SEPA-Lastschrift', 'Lastschrift', 'Überweisung', 'Banküberweisung', 'Kreditkarte', 'Barzahlung', 'Virement', 'Prélèvement', 'Carte bancaire',
  'Chèque', 'Overschrijving', 'Contant', 'Przelew', 'Gotówka', 'Karta', 'Transferencia', 'Efectivo', 'Tarjeta', 'Bonifico', 'Contanti', 'Carta di credito',
];

/** Headings that introduce the seller's or the buyer's block. */
export const SELLER_HEADINGS = /^(?:(?:seller|vendor|supplier)(?: trade)?(?: name)?|nom du vendeur|sold by|service provider|provider|from|issuer|verk ?aufer|lieferant|leistungserbringer|rechnungssteller|vendeur|fournisseur|emetteur|prestataire|verkoper|leverancier|sprzedawca|wystawca|vendedor|proveedor|emisor|venditore|fornitore|cedente|payee|beneficiary|beneficiaire|titulaire du compte|kontoinhaber|account holder|account name|rekeninghouder|intestatario)\s*(?::\s*|$)/u;
export const BUYER_HEADINGS = /^(?:bill to|billed to|invoice to|sold to|ship to|deliver to|customer|client|buyer|recipient|attn|k ?aufer|kunde|rechnungsempfanger|leistungsempfanger|warenempfanger|lieferadresse|rechnungsadresse|acheteur|destinataire|adresse (?:du client|de livraison|de facturation)|factuuradres|afleveradres|klant|afnemer|nabywca|odbiorca|cliente|comprador|destinatario|guest name|abweichender)(?![\p{L}])\s*(?:[\p{L} /]{0,30})?(?::\s*|$)/u;

/** Legal-form suffixes that mark a company name: long forms in any case, short ones upper case only. */
export const LEGAL_FORM_LONG_RE = /(?<![\p{L}\p{N}(])(?:gmbh(?: & co\.? ?kg)?|gesmbh|ltd\.?|limited|llc|l\.l\.c\.|inc\.?|incorporated|corp\.?|corporation|plc|llp|pvt\.? ltd\.?|private limited|pty\.? ltd\.?|sarl|s\.a\.r\.l\.|eurl|sasu|b\.v\.|n\.v\.|bvba|sprl|s\.p\.a\.|s\.r\.l\.|s\.a\.|sp\. ?z ?o\.? ?o\.?|s\.r\.o\.|spolka akcyjna|spolka z ograniczona odpowiedzialnoscia|kft|s\.a\.s\.|s\. ?coop\.|v\.o\.f\.|vof|srls|srl|s\.l\.u\.|slu|bvba|sdn\.? ?bhd\.?|berhad|pte\.? ltd\.?|co\.,? ltd\.?|s\.l\.|s\.a\.s\.|ltda\.?|lda\.?|s\.n\.c\.|e\.k\.|pty)(?![\p{L}\p{N}])/iu;
export const LEGAL_FORM_SHORT_RE = /(?<![\p{L}\p{N}])(?:AG|KG|SE|SA|SAS|BV|NV|SPA|SRL|SL|AB|AS|A\/S|ApS|Oy|OHG|UG|KGaA|BHD|S\/B|PLT|SNC|LDA|LTDA)(?![\p{L}\p{N}])/u;

/** What an item table's column holds; OTHER for columns the extractor does not report. */
export type ColumnKind = 'ITEM' | 'QUANTITY' | 'UNIT_PRICE' | 'PRICE' | 'OTHER';

const headings = (kind: ColumnKind, phrases: string[]): [ColumnKind, string][] => phrases.map((p) => [kind, p]);

/**
 * Item-table column headings per column kind (folded text, EN/DE/FR/NL/ES/IT/PT/PL). A column
 * whose heading is missing here can still be recognised from its content (tables.ts).
 */
export const COLUMN_HEADINGS: [ColumnKind, string][] = [
  ...headings('UNIT_PRICE', [
    'unit price', 'price per unit', 'price/unit', 'price each', 'unit cost', 'hourly rate', 'rate/hr', 'rate', 'price', 'each',
    'einzelpreis', 'nettopreis', 'vk-preis', 'stuckpreis', 'preis/einheit', 'e-preis', 'stundensatz', 'preis',
    'prix unitaire', 'prix unit.', 'p.u. ht', 'p.u.', 'p.u', 'pu ht', 'tarif', 'taux horaire', 'prix',
    'prijs per stuk', 'stukprijs', 'eenheidsprijs', 'prijs per eenheid', 'tarief', 'uurtarief', 'prijs',
    'precio unitario', 'precio unit.', 'p. unitario', 'precio', 'tarifa',
    'prezzo unitario', 'prezzo unit.', 'prezzo', 'tariffa',
    'preco unitario', 'preco unit.', 'valor unitario', 'v. unitario', 'preco',
    'cena jedn.', 'cena jednostkowa', 'cena netto', 'cena',
  ]),
  ...headings('QUANTITY', [
    'qty', 'qty.', 'quantity', 'hours', 'hrs', 'hrs.', 'units', 'pcs', 'days', 'no. of units',
    'menge', 'anzahl', 'anz.', 'stunden', 'std.', 'tage', 'stuck',
    'qte', 'qte.', 'quantite', 'nombre', 'heures', 'jours',
    'aantal', 'aant.', 'hoeveelheid', 'uren', 'dagen', 'stuks',
    'cantidad', 'cant.', 'uds.', 'unidades', 'horas', 'dias',
    'quantita', 'qta', 'qta.', 'ore', 'giorni', 'pz.',
    'quantidade', 'qtd', 'qtd.', 'qtde',
    'ilosc',
  ]),
  ...headings('PRICE', [
    'line amount', 'line total', 'amount', 'total', 'net amount', 'net', 'subtotal',
    'betrag', 'gesamtbetrag', 'gesamtpreis', 'gesamt', 'nettobetrag', 'nettowert', 'zeilenbetrag', 'summe', 'entgelt',
    'montant ht', 'montant', 'total ht', 'prix total',
    'bedrag', 'totaal', 'regeltotaal', 'subtotaal',
    'importe', 'importe total', 'total linea',
    'importo', 'totale', 'totale riga',
    'valor', 'valor total', 'montante', 'importancia',
    'wartosc netto', 'wartosc',
  ]),
  // Item numbers: named so that they are never taken for the description column.
  ...headings('OTHER', [
    'item #', 'item no', 'item no.', 'item number', 'item code', 'sku', 'part no', 'part no.', 'part #', 'product code', 'code',
    'art.-nr.', 'art.nr.', 'art. nr.', 'artikelnummer', 'artikel-nr.', 'artikelnr.', 'ref', 'ref.', 'reference', 'codigo', 'codice', 'cod.',
  ]),
  ...headings('ITEM', [
    'description', 'item description', 'product title', 'product', 'item', 'items', 'service', 'services', 'article', 'particulars', 'task', 'activity',
    'details', 'item details',
    'beschreibung', 'artikelbeschreibung', 'bezeichnung', 'artikelbezeichnung', 'artikel', 'produkt', 'leistung', 'leistungen', 'dienstleistung',
    'designation', 'nom & designation', 'libelle', 'prestation', 'prestations',
    'omschrijving', 'beschrijving', 'dienst', 'diensten', 'artikelomschrijving',
    'descripcion', 'concepto', 'articulo', 'servicio', 'producto', 'productos',
    'descrizione', 'articolo', 'servizio', 'prodotto', 'dettaglio',
    'descricao', 'designacao', 'artigo', 'produto', 'servico',
    'opis', 'nazwa',
  ]),
];
