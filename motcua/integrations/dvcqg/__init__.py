"""The National Public Service Portal (Cổng Dịch vụ công quốc gia): interface, adapter, simulator."""
