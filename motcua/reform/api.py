"""JSON API of the reform domain. (i15score: the two include lines below; i15plans owns the rest.)"""

from fastapi import APIRouter

from motcua.reform import score_api, survey_api

router = APIRouter(prefix="/api/v1/reform")
router.include_router(score_api.router)
router.include_router(survey_api.router)
