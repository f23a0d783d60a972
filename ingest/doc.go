// Package ingest turns raw records (OCDS releases, customs declarations, CRM
// and ERP exports, pushed signals) into the graph: it parses each format,
// normalises names, dates and money, resolves organisations to the customers
// and competitors already known, and writes signals in idempotent batches.
//
// Bad input never stops a file: every malformed record is reported with its
// file, line or record number and field, and every good one is kept.
package ingest
