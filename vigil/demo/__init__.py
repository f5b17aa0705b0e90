"""Synthetic demo data (`manage.py generate_demo_data`): the top layer, imported by no other app.

Each module generates one domain's rows and writes them through that domain's services or the
bulk paths its services own: `accounts` (the demo accounts), `registry` (institutions),
`people` (participants), `visits` (visits and everything recorded in them),
`recommendations` (ten years of recommendations with responses, repeats and escalations),
`appeals` (appeals, referrals, art. 146 cases, accountability records, incidents and reprisal
follow-ups: rows bulk-created with the appeals app's own encryption, sealing and timeline
helpers, from a plan of counts per year that is a pure function).
"""
