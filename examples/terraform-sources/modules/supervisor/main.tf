variable "region" {
  type = string
}

variable "trust" {
  type = string
}

resource "aws_iam_role" "supervisor" {
  name               = "connect-supervisor-${var.region}"
  assume_role_policy = var.trust
  tags = {
    access-level = "supervisor"
  }
}

data "aws_iam_policy_document" "supervisor" {
  statement {
    sid       = "SeeTheInstance"
    actions   = ["connect:ListInstances", "connect:DescribeInstance", "ds:DescribeDirectories"]
    resources = ["*"]
  }
  statement {
    sid       = "WatchQueues"
    actions   = ["connect:GetCurrentMetricData", "connect:ListQueues", "connect:DescribeQueue"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "aws:RequestedRegion"
      values   = [var.region]
    }
  }
}

resource "aws_iam_role_policy" "supervisor" {
  name   = "watch-queues"
  role   = aws_iam_role.supervisor.id
  policy = data.aws_iam_policy_document.supervisor.json
}

output "role_name" {
  value = aws_iam_role.supervisor.name
}
