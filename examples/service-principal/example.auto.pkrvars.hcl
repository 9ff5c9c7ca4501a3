# Example values so that `azchroot validate examples/service-principal/` passes offline.
client_id       = "11111111-2222-3333-4444-555555555555"
client_secret   = "example-secret-value"
subscription_id = "00000000-0000-0000-0000-000000000001"
resource_group  = "images-rg"
