public enum BulwarkCoreVersion { public static let string = "0.1.0" }
