// Package crawlers gathers external web sources: configurable, polite,
// incremental collectors (gocolly/colly) for tender portals, OCDS APIs and
// forums, and the notice extractor that reads Chinese tender and award
// notices into structured records for ingest.
package crawlers
