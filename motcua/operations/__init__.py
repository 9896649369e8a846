"""Operations: the administrator page of the external systems' health (`/quan-tri/tich-hop`,
docs/operations.md "Integrations")."""
