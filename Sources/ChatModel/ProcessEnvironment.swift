#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process environment, one variable at a time.
public enum ProcessEnvironment {
    /// The value of `name`, or nil when it is not set. Read with `getenv`: Foundation's
    /// `ProcessInfo.processInfo.environment` builds a dictionary of every variable, on each call.
    public static func value(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }
}
