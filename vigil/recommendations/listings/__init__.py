"""The recommendations app's lists (`vigil.core.listing`): the recommendations list, the agency
portal, the visits awaiting issuing, the escalations-due queue, the tallies and the systemic
issues — each page's count, sort, pagination and export of exactly what is shown."""
