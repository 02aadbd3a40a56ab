import Vapor

typealias HTTPMethodValue = HTTPMethod
