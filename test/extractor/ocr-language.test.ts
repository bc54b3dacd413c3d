/**
 * The page language read from the English model's words: what decides which model reads the page
 * (the end-to-end reading of an accented scan is in ocr.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../functions/extractor/ocr-language.ts';

const words = (s: string) => s.split(/\s+/);

describe('the language of a page', () => {
  it('is named by words typical of invoices in it, accents lost or not', () => {
    expect(
      detectLanguage(
        words('Facture N° 2018-56025 Date : 13/05/2018 Désignation Quantité Prix unitaire Montant TVA 20 % Total TTC'),
      ),
    ).toBe('fra');
    expect(
      detectLanguage(
        words('Rechnung Nr. 2016/53630 Rechnungsdatum Menge Einzelpreis Betrag Zwischensumme Umsatzsteuer'),
      ),
    ).toBe('deu');
    expect(
      detectLanguage(words('Atlantico Servicos S.A. Fatura Documento emitida em pagar ate Artigo Qtd. Preco Valor')),
    ).toBe('por');
    expect(detectLanguage(words('Factuur factuurdatum omschrijving aantal prijs bedrag BTW totaal'))).toBe('nld');
    // Till receipts say little: their own words count too.
    expect(
      detectLanguage(
        words('Garcia & Fernandez S.L.U. CIF: B21200527 Factura simplificada Total a pagar Entregado Cambio'),
      ),
    ).toBe('spa');
    expect(
      detectLanguage(words('Minho Informatica Lda. Talao N: 2419588 IVA 23% incluido Dinheiro Troco Obrigado')),
    ).toBe('por');
  });

  it('is none for English pages and for pages with too few clues', () => {
    expect(
      detectLanguage(words('Invoice No. 123 Date Description Qty Price Amount Subtotal Tax Total Balance due')),
    ).toBeNull();
    expect(detectLanguage(words('Harbor Marketing PLC Invoice total TVA'))).toBeNull();
  });
});
