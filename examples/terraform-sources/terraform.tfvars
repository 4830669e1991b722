regions = ["eu-west-2", "us-east-1"]
