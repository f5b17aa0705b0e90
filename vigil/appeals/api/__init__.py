"""The API of appeals, referrals, criminal cases, accountability and incidents (one module per
area), and the unauthenticated public and partner intake endpoints."""
