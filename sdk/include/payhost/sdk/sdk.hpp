// Convenience: everything a plugin normally includes.
#pragma once

#include "payhost/sdk/abi.hpp"
#include "payhost/sdk/channel.hpp"
#include "payhost/sdk/charge.hpp"
#include "payhost/sdk/crypto.hpp"
#include "payhost/sdk/database.hpp"
#include "payhost/sdk/encoding.hpp"
#include "payhost/sdk/host.hpp"
#include "payhost/sdk/http.hpp"
#include "payhost/sdk/json.hpp"
#include "payhost/sdk/log.hpp"
#include "payhost/sdk/money.hpp"
#include "payhost/sdk/options.hpp"
#include "payhost/sdk/plugin.hpp"
#include "payhost/sdk/product.hpp"
#include "payhost/sdk/result.hpp"
#include "payhost/sdk/simulator.hpp"
