/**
 * The subset of Textract's AnalyzeExpense / GetExpenseAnalysis response that docuhook reads.
 * Declared here so the core needs no AWS import; both the Textract adapter and the offline
 * extractor produce this shape and feed the same normaliser.
 */
export interface BoundingBox {
  Width?: number;
  Height?: number;
  Left?: number;
  Top?: number;
}
export interface Geometry {
  BoundingBox?: BoundingBox;
  Polygon?: { X?: number; Y?: number }[];
}

export interface ExpenseDetection {
  Text?: string;
  Geometry?: Geometry;
  Confidence?: number;
}
export interface ExpenseType {
  Text?: string;
  Confidence?: number;
}
export interface ExpenseCurrency {
  Code?: string;
  Confidence?: number;
}
export interface ExpenseGroupProperty {
  Types?: string[];
  Id?: string;
}

export interface ExpenseField {
  Type?: ExpenseType;
  LabelDetection?: ExpenseDetection;
  ValueDetection?: ExpenseDetection;
  PageNumber?: number;
  Currency?: ExpenseCurrency;
  GroupProperties?: ExpenseGroupProperty[];
}
export interface LineItemFields {
  LineItemExpenseFields?: ExpenseField[];
}
export interface LineItemGroup {
  LineItemGroupIndex?: number;
  LineItems?: LineItemFields[];
}

export interface Block {
  BlockType?: string;
  Id?: string;
  Text?: string;
  Confidence?: number;
  Page?: number;
  Geometry?: Geometry;
  Relationships?: { Type?: string; Ids?: string[] }[];
}

export interface ExpenseDocument {
  ExpenseIndex?: number;
  SummaryFields?: ExpenseField[];
  LineItemGroups?: LineItemGroup[];
  Blocks?: Block[];
}

export interface AnalyzeExpenseResult {
  DocumentMetadata?: { Pages?: number };
  ExpenseDocuments?: ExpenseDocument[];
  /** Present on some responses (textractor dumps) and in the offline extractor's output. */
  Blocks?: Block[];
}
