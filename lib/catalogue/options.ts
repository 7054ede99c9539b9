import 'server-only';
/**
 * What plans and cases use from the catalogue (item 4): the `catalogue` data source of plan forms,
 * the snapshot a plan task keeps, and the entries of a case's individual basket (IKU).
 */
export { listCatalogueOptions, listEntriesByIds, snapshotCatalogueEntry } from './search';
