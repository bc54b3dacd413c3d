/**
 * Payment method. AnalyzeExpense has no field for it, so it is read from field values and OCR
 * lines that name a card scheme or a means of payment. Labels alone do not count: a payment
 * slip lists every card it accepts, with empty values.
 */
import type { FieldView, LineView } from './fields.ts';
import type { Picked } from './summary-fields.ts';

const METHODS: [RegExp, string][] = [
  [/\bvisa\b/i, 'Visa'],
  [/\bmaster\s*card\b|\bmc\s*\*{2,}/i, 'Mastercard'],
  [/\bamerican\s*express\b|\bamex\b/i, 'American Express'],
  [/\bdiscover\b/i, 'Discover'],
  [/\bmaestro\b/i, 'Maestro'],
  [/\bdiners\b/i, 'Diners Club'],
  [/\bjcb\b/i, 'JCB'],
  [/\bunion\s*pay\b/i, 'UnionPay'],
  // The Dutch scheme is written iDEAL/IDEAL/iDeal; the English word "ideal" is not a payment method.
  [/\bi(?:DEAL|Deal)\b|\bIDEAL\b/, 'iDEAL'],
  [/\bpaypal\b/i, 'PayPal'],
  [/\bapple\s*pay\b/i, 'Apple Pay'],
  [/\bgoogle\s*pay\b/i, 'Google Pay'],
  [/\bgirocard\b|\bec[-\s]?karte\b/i, 'girocard'],
  [/\bsepa\b|\bdirect\s*debit\b|\blastschrift\b|\bpr[ée]l[èe]vement\b/i, 'Direct debit'],
  [
    /\bbank\s*transfer\b|\bwire\s*transfer\b|\b[üu]berweisung\b|\bvirement\b|\btransferencia\b|\bprzelew\b|\boverschrijving\b/i,
    'Bank transfer',
  ],
  [/\bdebit\s*card\b/i, 'Debit card'],
  [/\bcredit\s*card\b/i, 'Credit card'],
  // Qualified cash payments are different methods for the payee (settled elsewhere, later).
  [/\bcash\s+on\s+delivery\b|\bC\.?O\.?D\b/i, 'Cash on delivery'],
  [/\bcash\s+at\s+(?:the\s+)?(?:hotel|property|counter|reception)\b|\bpay\s+at\s+(?:the\s+)?hotel\b/i, 'Cash at hotel'],
  [/\bcash\b|\bbar(?:zahlung)?\b|\besp[èe]ces\b|\befectivo\b|\bcontanti\b|\bgot[óo]wka\b|\bcontant\b/i, 'Cash'],
  [/\bch[eè]que\b/i, 'Cheque'],
];

function methodIn(text: string): string | null {
  for (const [re, name] of METHODS) if (re.test(text)) return name;
  return null;
}

const PAYMENT_LABEL = /pay|paid|tend|card|karte|carte|method|zahlung|règlement|reglement|mode|means|account/i;

export function pickPaymentMethod(summary: readonly FieldView[], lines: readonly LineView[]): Picked<string> | null {
  // Values of fields first; a payment-ish label or a masked card number makes them surer.
  const hits: { name: string; confidence: number }[] = [];
  for (const f of summary) {
    if (!f.value || f.type === 'VENDOR_NAME' || f.type === 'VENDOR_ADDRESS' || f.type === 'RECEIVER_ADDRESS') continue;
    const name = methodIn(f.value);
    if (!name) continue;
    const strong = PAYMENT_LABEL.test(f.label ?? '') || /[*x]{3,}\s*\d{4}/i.test(f.value);
    hits.push({ name, confidence: f.confidence * (strong ? 1 : 0.7) });
  }
  // OCR lines only with a masked card number or a payment word, not "We accept Visa, ...".
  for (const l of lines) {
    const name = methodIn(l.text);
    if (!name) continue;
    if (
      /[*x]{3,}\s*\d{4}|\b\d{4}\s*$|paid\s+(?:by|with|via)|payment\s*(?:method|type)|bezahlt|pay[ée]\s+par|pagado/i.test(
        l.text,
      )
    ) {
      hits.push({ name, confidence: l.confidence * 0.6 });
    }
  }
  hits.sort((a, b) => b.confidence - a.confidence);
  const best = hits[0];
  return best ? { value: best.name, confidence: best.confidence } : null;
}
