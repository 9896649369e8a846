"""Citizens' ratings of the handling of their dossiers (TT 01/2018/TT-VPCP indices a citizen
can judge), online and on the counter's kiosk; synced to the national portal (DongBoDanhGia)
and counted for the statistics (docs/ratings.md)."""
