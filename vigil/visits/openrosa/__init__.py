"""ODK Collect and Enketo against Vigil: the OpenRosa 1.0 form list, form and manifest
downloads and submissions (docs/collect.md), for the visits a user is on.

* `instance`: a filled form as data (`SubmittedInstance`), read from the XML a device sends;
  exports of submissions (KoBoToolbox, ODK Central) are read into the same shape;
* `protocol`: the OpenRosa documents (form list, manifest, response envelope) and headers;
* `auth`: HTTP Basic over the user's Collect app passwords.
"""
