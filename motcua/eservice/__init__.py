"""Local online submission (dịch vụ công trực tuyến của tỉnh, issue 12 item 5): the
procedures the province offers online itself (those not provided on the National Public
Service Portal, ND 224/2026), the electronic form built from the procedure's components,
drafts, and the submission into the online queue (docs/eservice.md)."""
