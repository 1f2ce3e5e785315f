-- The document sweep asks, per stored file, whether an e-mail attachment
-- still refers to it (Store.BlobReferenced): an index instead of a scan.
CREATE INDEX inbound_attachments_blob ON inbound_attachments (blob_id);
