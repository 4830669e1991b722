# The Connect team's supervisors and a reporting role, in Terraform sources only: no plan JSON here.
# jest-connect-iam reads these .tf files itself (loadTerraform): locals, variables (terraform.tfvars sets the
# regions), jsonencode, a policy document data source, and a local module called once per region.

variable "regions" {
  type    = list(string)
  default = ["eu-west-2"]
}

variable "account_id" {
  type    = string
  default = "111122223333"
}

locals {
  trust = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "arn:aws:iam::${var.account_id}:root" } }]
  })
}

# Reporting reads configuration and metrics, nothing else.
resource "aws_iam_role" "reporting" {
  name               = "connect-reporting-src"
  assume_role_policy = local.trust
  tags = {
    access-level = "read-only"
  }
}

resource "aws_iam_role_policy_attachment" "reporting" {
  role       = aws_iam_role.reporting.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonConnectReadOnlyAccess"
}

# Supervisors watch queues in the regions the contact centre runs in.
module "supervisors" {
  source     = "./modules/supervisor"
  for_each   = toset(var.regions)
  region     = each.key
  trust      = local.trust
}
