"""Administrative reform (CCHC): plans and tasks, progress, the reform index and satisfaction surveys."""
