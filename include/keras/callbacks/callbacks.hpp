#pragma once
// Every callback: #include <keras/callbacks/callbacks.hpp> (keras/src/callbacks/).
#include "keras/callbacks/backup_and_restore.hpp"
#include "keras/callbacks/callback.hpp"
#include "keras/callbacks/csv_logger.hpp"
#include "keras/callbacks/early_stopping.hpp"
#include "keras/callbacks/history.hpp"
#include "keras/callbacks/lambda_callback.hpp"
#include "keras/callbacks/learning_rate_scheduler.hpp"
#include "keras/callbacks/model_checkpoint.hpp"
#include "keras/callbacks/monitor_callback.hpp"
#include "keras/callbacks/reduce_lr_on_plateau.hpp"
#include "keras/callbacks/terminate_on_nan.hpp"
