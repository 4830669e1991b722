# The Connect team's IAM roles, written in Terraform (the same people as ../infra/connect-access.yaml).
# plan.json beside this file is `terraform show -json` of a plan of it (written by hand to the documented
# format, with the account id 111122223333): jest-connect-iam reads the plan and points at these lines.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
  }
}

# Auditors read configuration and nothing else.
resource "aws_iam_role" "auditor" {
  name               = "connect-auditor-tf"
  assume_role_policy = data.aws_iam_policy_document.trust.json
  tags = {
    access-level = "read-only"
  }
}

resource "aws_iam_role_policy_attachment" "auditor_read_only" {
  role       = aws_iam_role.auditor.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonConnectReadOnlyAccess"
}

# Storage admins manage where call recordings and chat transcripts go.
data "aws_iam_policy_document" "storage" {
  statement {
    sid       = "FindTheInstance"
    actions   = ["connect:ListInstances", "connect:DescribeInstance", "ds:DescribeDirectories"]
    resources = ["*"]
  }
  statement {
    sid = "ManageInstanceStorage"
    actions = [
      "connect:ListInstanceStorageConfigs",
      "connect:DescribeInstanceStorageConfig",
      "connect:AssociateInstanceStorageConfig",
      "connect:UpdateInstanceStorageConfig",
      "connect:DisassociateInstanceStorageConfig",
    ]
    resources = ["*"]
  }
  statement {
    sid = "PickBucketsAndKeys"
    actions = [
      "s3:ListAllMyBuckets",
      "s3:GetBucketLocation",
      "s3:GetBucketAcl",
      "s3:CreateBucket",
      "kms:DescribeKey",
      "kms:ListAliases",
      "kms:CreateGrant",
      "kms:RetireGrant",
    ]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "storage" {
  name   = "connect-storage-admin-tf"
  policy = data.aws_iam_policy_document.storage.json
}

resource "aws_iam_role" "storage_admin" {
  name               = "connect-storage-admin-tf"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}

resource "aws_iam_role_policy_attachment" "storage_admin" {
  role       = aws_iam_role.storage_admin.name
  policy_arn = aws_iam_policy.storage.arn
}

# One agent role per region the contact centre runs in.
module "agents" {
  source   = "./modules/agent"
  for_each = toset(["eu-west-2", "us-east-1"])
  region   = each.key
}
