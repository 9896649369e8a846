"""Pages of the reform domain. (i15score: the two include lines below; i15plans owns the rest.)"""

from fastapi import APIRouter

from motcua.reform import score_routes, survey_routes

router = APIRouter()
router.include_router(score_routes.router)
router.include_router(survey_routes.router)
