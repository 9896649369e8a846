"""The provincial integration platform (LGSP, Nền tảng tích hợp, chia sẻ dữ liệu cấp tỉnh) and,
through it, the National Population Database (Cơ sở dữ liệu quốc gia về dân cư).

`population.py` is the interface callers use (`PopulationRegistry.lookup_citizen`), `adapter.py`
speaks the LGSP session transport (shared/reference/dvcqg.md §1) over httpx, `wire.py` maps the
reply records, `config.py` reads `LGSP_*` from the environment and `simulator.py` stands in for
the platform (`motcua sim lgsp`). The record schema of the population service is not public:
docs/population.md says what was chosen and why.
"""
