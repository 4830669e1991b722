variable "region" {
  type = string
}

resource "aws_iam_role" "agent" {
  name = "connect-agent-${var.region}"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "arn:aws:iam::111122223333:root" } }]
  })
  tags = {
    access-level = "read-only"
  }
}

resource "aws_iam_role_policy" "agent" {
  name = "see-the-instance"
  role = aws_iam_role.agent.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "SeeTheInstance"
      Effect   = "Allow"
      Action   = ["connect:ListInstances", "connect:DescribeInstance"]
      Resource = "*"
    }]
  })
}
