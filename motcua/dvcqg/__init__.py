"""The National Public Service Portal (Cổng Dịch vụ công quốc gia): its interface, the legacy
adapter, a simulator and the catalogue sync (docs/dvcqg.md)."""
